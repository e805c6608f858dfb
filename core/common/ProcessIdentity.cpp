#include "core/common/ProcessIdentity.h"

#include <cerrno>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <unistd.h>

namespace mtl {

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

std::int64_t currentPid() { return static_cast<std::int64_t>(getpid()); }

namespace {
struct ProcStat {
    char state = '?';
    std::int64_t startTicks = 0;
};

ProcStat readProcStat(std::int64_t pid) {
    ProcStat out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!in || !std::getline(in, text)) return out;
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return out;
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22; ++i) {
        if (!(fields >> field)) return out;
        if (i == 3) out.state = field.empty() ? '?' : field[0];
    }
    try {
        out.startTicks = std::stoll(field);
    } catch (const std::exception&) {
        out.startTicks = 0;
    }
    return out;
}
} // namespace

std::int64_t processStartTicks(std::int64_t pid) { return readProcStat(pid).startTicks; }

bool processIsGone(std::int64_t pid, std::int64_t startTicks) {
    if (pid <= 0) return true; // nobody recorded as owner: nobody can still be running it
    if (pid == currentPid()) // ours, unless an earlier process with this pid recorded it
        return startTicks != 0 && startTicks != processStartTicks(pid);
    // EPERM means the process exists but belongs to someone else.
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
    const ProcStat stat = readProcStat(pid);
    if (stat.state == 'Z' || stat.state == 'X') return true; // killed, not yet reaped by its parent
    // A different start time: the pid was given to a later process.
    return startTicks != 0 && stat.startTicks != 0 && stat.startTicks != startTicks;
}

} // namespace mtl
