#pragma once
// The subcommands of `mtlw`. Each returns the process exit code: 0 success, 1 failure,
// 2 bad usage or bad input, 130 interrupted.
#include <string>
#include <vector>

namespace mtlw {

using Args = std::vector<std::string>;

int runCommand(const Args& args);
int synthCommand(const Args& args);
int runsCommand(const Args& args);

// Shared by the commands: the registry path given by --registry or the default.
std::string registryPathFrom(const std::string& optionValue);

} // namespace mtlw
