#include "core/common/Paths.h"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace mtl {
namespace {
std::string xdg(const char* var, const char* fallbackUnderHome) {
    // The XDG spec says relative values are to be ignored.
    if (const char* v = std::getenv(var); v && v[0] == '/') return std::string(v) + "/mtl-workbench";
    const char* home = std::getenv("HOME");
    if (!home || !*home) {
        const passwd* pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/tmp";
    }
    return std::string(home) + "/" + fallbackUnderHome + "/mtl-workbench";
}
} // namespace

std::string dataHome() { return xdg("XDG_DATA_HOME", ".local/share"); }
std::string cacheHome() { return xdg("XDG_CACHE_HOME", ".cache"); }

} // namespace mtl
