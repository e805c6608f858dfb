#pragma once
// Versions known only to the build: the project's from `git describe` (refreshed on every build by
// cmake/GitVersion.cmake) and yaml-cpp's, which has no version macro and comes from its CMake
// package. Defined in one generated file, so that a new version recompiles that file only.
namespace mtl {
const char* projectVersion();
const char* yamlCppVersion();
}
