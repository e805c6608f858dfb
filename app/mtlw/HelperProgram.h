#pragma once
// Hands a command to the helper program that runs it (CommandTable.h): mtlw's process image is
// replaced (exec), so the command sees the user's arguments, terminal and signals, and its exit
// code is mtlw's.
#include "CommandTable.h"
#include "Commands.h"

#include <string>

namespace mtlw {

// "mtlw-data" or "mtlw-model".
const char* helperName(Program program);

// Where a helper is: beside mtlw (the build tree), else in MTLW_HELPER_DIR_RELATIVE from mtlw's
// folder (the installed layout: ../libexec/mtl-workbench). Empty when in neither.
std::string helperPath(Program program);

// Returns only when the exec fails: 1, after a message naming where the helper was looked for.
int runInHelper(Program program, const std::string& command, const Args& args);

// The main of a helper: runs argv[1] from `commands`, or prints mtlw's usage and returns 2.
using CommandFn = int (*)(const Args&);
int helperMain(Program program, const std::vector<std::pair<std::string, CommandFn>>& commands, int argc,
               char** argv);

} // namespace mtlw
