#include "core/common/Paths.h"

#include "core/common/Error.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

void writeFileAtomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            throw InputError(path + ": cannot write the file");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw InputError(path + ": cannot write the file (" + ec.message() + ")");
}

} // namespace mtl
