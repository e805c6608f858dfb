#pragma once
// Versions known only to the build: the project's from `git describe` (refreshed on every build by
// cmake/GitVersion.cmake), yaml-cpp's, which has no version macro, and the LibTorch the model
// layer links, so that commands which never load LibTorch can still name it. Defined in one
// generated file, so that a new version recompiles that file only.
namespace mtl {
const char* projectVersion();
const char* yamlCppVersion();
const char* torchVersion();     // e.g. "1.13.0", from LibTorch's CMake package
const char* torchCudaVersion(); // the CUDA runtime LibTorch was built with ("11.7"), "" when CPU only
}
