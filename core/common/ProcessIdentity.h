#pragma once
// Who owns a run: the host name, the pid and the pid's start time. The start time tells a process
// from a later one that was given the same pid, so a dead run is never taken for a live one.
#include <cstdint>
#include <string>

namespace mtl {

std::string hostName();
std::int64_t currentPid();
// The kernel's start time of a process (clock ticks since boot, /proc/PID/stat field 22);
// 0 when it cannot be read (no such process, or no /proc).
std::int64_t processStartTicks(std::int64_t pid);
// Whether the process pid on this host is gone. startTicks 0 = unknown: the pid alone decides.
bool processIsGone(std::int64_t pid, std::int64_t startTicks);

} // namespace mtl
