#pragma once
// The subcommands of `mtlw`. Each returns the process exit code: 0 success, 1 failure,
// 2 bad usage or bad input, 130 interrupted. Three programs hold them: `mtlw` and its helpers
// `mtlw-data` and `mtlw-model` (CommandTable.h says which runs what, and why).
#include "core/common/Error.h"
#include "core/experiment/Registry.h"

#include <cstdint>

#include <iostream>
#include <string>
#include <vector>

namespace mtlw {

using Args = std::vector<std::string>;

int runCommand(const Args& args);
int synthCommand(const Args& args);
int runsCommand(const Args& args);
int scoreDetCommand(const Args& args);
int scoreSegCommand(const Args& args);
int datasetCommand(const Args& args);
int datasetAnchorsCommand(const Args& args); // `dataset anchors`, reached through datasetCommand
int splitCommand(const Args& args);
int augmentCommand(const Args& args);
int augmentPreviewCommand(const Args& args);
int sweepCommand(const Args& args);      // mtlw: --local is handed to mtlw-model
int sweepLocalCommand(const Args& args); // mtlw-model: trains the cells here
int importCommand(const Args& args);
int evalCommand(const Args& args);
int diagnoseCommand(const Args& args);
int tableCommand(const Args& args);
int exportCommand(const Args& args); // `export tensorboard`

// Shared by the commands: the registry path given by --registry or the default.
std::string registryPathFrom(const std::string& optionValue);
// A run id given on the command line; InputError when it is not a positive integer.
std::int64_t runIdFrom(const std::string& text);
// SIGINT/SIGTERM set a flag (on) or end the process again (off); the flag starts cleared.
void watchSignals(bool on);
bool interruptRequested();
// 0 finished, 130 interrupted, 2 failed on bad input, else 1 (failed, diverged).
int exitCodeOf(mtl::RunStatus status, bool failedOnInput);

// Runs a subcommand's body and maps what it throws to the exit codes: bad input → 2, any other
// error → 1, each printed as one line "mtlw COMMAND: message".
template <typename Body>
int withExitCodes(const char* command, Body&& body) {
    try {
        return body();
    } catch (const mtl::InputError& e) {
        std::cerr << "mtlw " << command << ": " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "mtlw " << command << ": " << e.what() << "\n";
        return 1;
    }
}

} // namespace mtlw
