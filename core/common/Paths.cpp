#include "core/common/Paths.h"

#include <cstdlib>

namespace mtl {
namespace {
std::string xdg(const char* var, const char* fallbackUnderHome) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string(v) + "/mtl-workbench";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/" + fallbackUnderHome + "/mtl-workbench";
}
} // namespace

std::string dataHome() { return xdg("XDG_DATA_HOME", ".local/share"); }
std::string cacheHome() { return xdg("XDG_CACHE_HOME", ".cache"); }

} // namespace mtl
