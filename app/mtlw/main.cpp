// mtlw: the workbench's command line. Loads neither Qt nor LibTorch nor OpenCV's image codecs, so
// that it runs on headless nodes and its commands start at once; commands that need more are handed
// to a helper program (CommandTable.h, HelperProgram.h).
#include "CommandTable.h"
#include "Commands.h"
#include "HelperProgram.h"

#include "core/common/VersionReport.h"

#include <iostream>
#include <map>

namespace {

const std::map<std::string, mtlw::CommandFn>& commandsHere() {
    static const std::map<std::string, mtlw::CommandFn> table = {
        {"runs", mtlw::runsCommand},
        {"sweep", mtlw::sweepCommand},
        {"import", mtlw::importCommand},
        {"score-det", mtlw::scoreDetCommand},
        {"export", mtlw::exportCommand},
    };
    return table;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        mtlw::printUsage(std::cerr);
        return 2;
    }
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        mtlw::printUsage(std::cout);
        return 0;
    }
    if (first == "--version") {
        std::cout << mtl::versionReport("mtlw");
        return 0;
    }
    const mtlw::CommandInfo* command = mtlw::findCommand(first);
    if (!command) {
        std::cerr << "mtlw: unknown command '" << first << "'\n";
        mtlw::printUsage(std::cerr);
        return 2;
    }
    const mtlw::Args args(argv + 2, argv + argc);
    if (command->program != mtlw::Program::Mtlw) return mtlw::runInHelper(command->program, first, args);
    return commandsHere().at(first)(args);
}
