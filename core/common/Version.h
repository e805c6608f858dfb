#pragma once
// The project's version from `git describe` at configure time. Defined in one generated file so
// that a new version string recompiles that file only.
namespace mtl {
const char* projectVersion();
}
