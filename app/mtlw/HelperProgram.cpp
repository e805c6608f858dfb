#include "HelperProgram.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace mtlw {
namespace {

fs::path ownFolder() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : self.parent_path();
}

std::vector<fs::path> candidates(Program program) {
    const fs::path here = ownFolder();
    if (here.empty()) return {};
    return {here / helperName(program), (here / MTLW_HELPER_DIR_RELATIVE / helperName(program)).lexically_normal()};
}

} // namespace

const char* helperName(Program program) { return program == Program::Model ? "mtlw-model" : "mtlw-data"; }

std::string helperPath(Program program) {
    for (const auto& p : candidates(program))
        if (access(p.c_str(), X_OK) == 0) return p.string();
    return {};
}

int runInHelper(Program program, const std::string& command, const Args& args) {
    const std::string path = helperPath(program);
    if (!path.empty()) {
        std::vector<std::string> words{path, command};
        words.insert(words.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& w : words) argv.push_back(w.data());
        argv.push_back(nullptr);
        std::cout.flush();
        std::cerr.flush();
        execv(path.c_str(), argv.data());
        std::cerr << "mtlw " << command << ": cannot start " << path << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    std::cerr << "mtlw " << command << ": this command is run by " << helperName(program) << ", which is not at";
    const auto where = candidates(program);
    for (std::size_t i = 0; i < where.size(); ++i) std::cerr << (i ? " or " : " ") << where[i].string();
    std::cerr << " (reinstall mtl-workbench)\n";
    return 1;
}

int helperMain(Program program, const std::vector<std::pair<std::string, CommandFn>>& commands, int argc,
               char** argv) {
    const std::string first = argc >= 2 ? argv[1] : "";
    for (const auto& [name, run] : commands)
        if (name == first) return run(Args(argv + 2, argv + argc));
    std::cerr << helperName(program) << " runs some of mtlw's commands (" << (first.empty() ? "none given" : "not '" + first + "'")
              << "); call them through mtlw:\n";
    printUsage(std::cerr);
    return 2;
}

} // namespace mtlw
