#pragma once
// `mtlw run --nproc-per-node N`: starts N copies of this command as the ranks of one data-parallel
// run on this machine (the environment torchrun would give them), forwards Ctrl-C, and when one
// dies or hangs ends the others and records in the registry which rank stopped and why.
#include "Commands.h"

#include <string>

namespace mtlw {

struct LaunchOptions {
    int processes = 2;
    int timeoutSeconds = 1800; // the ranks' collective timeout: how long a hang may last
    std::string registryPath;  // where rank 0 records the run
};

// `args`: the run command's own arguments, with --nproc-per-node already taken out. Returns the
// exit code: rank 0's, or 130 when a rank died (the run is then interrupted and resumable).
int launchProcesses(const Args& args, const LaunchOptions& options);

// `args` without the option `name` and its value (either "--name V" or "--name=V").
Args withoutOption(const Args& args, const std::string& name);

} // namespace mtlw
