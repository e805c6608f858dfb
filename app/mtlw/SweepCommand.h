#pragma once
// `mtlw sweep` in two programs: expanding a grid, listing it and writing SLURM arrays need no
// model (mtlw); training the cells with --local does (mtlw-model). Both parse the same options.
#include "Commands.h"

#include <functional>

namespace mtl {
struct Sweep;
}

namespace mtlw {

class ArgParser;

// Trains the cells J at a time with the parsed options; returns the exit code.
using LocalSweep = std::function<int(const mtl::Sweep&, int jobs, const ArgParser& options)>;

ArgParser sweepParser();
// Parses, checks and expands the sweep; --slurm and listing are done here, --local by trainHere.
int sweepCommandWith(const Args& args, const LocalSweep& trainHere);

} // namespace mtlw
