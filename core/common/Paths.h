#pragma once
// Where the workbench keeps its files when the user does not say (XDG base directories).
#include <string>

namespace mtl {

std::string dataHome();  // $XDG_DATA_HOME/mtl-workbench, else ~/.local/share/mtl-workbench
std::string cacheHome(); // $XDG_CACHE_HOME/mtl-workbench, else ~/.cache/mtl-workbench

// Writes a whole file through PATH.tmp and a rename, so that readers never see half of it; throws
// InputError naming the file when it cannot be written.
void writeFileAtomically(const std::string& path, const std::string& text);

} // namespace mtl
