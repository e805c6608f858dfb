#pragma once
// Every command of `mtlw`, with its one-line summary and the program that runs it. Start-up time is
// the cost of loading shared libraries, so commands live in the program that loads only what they
// need, and `mtlw` replaces itself (exec) with the helper a command needs, so that arguments,
// terminal, signals and exit code stay the user's:
//   mtlw        registry, COCO scoring, run folders, sweep files: SQLite, yaml-cpp, OpenCV core
//   mtlw-data   commands that read or write images (OpenCV's image codecs), no LibTorch
//   mtlw-model  training, evaluation, augmentation: LibTorch
#include <ostream>
#include <string>
#include <vector>

namespace mtlw {

enum class Program { Mtlw, Data, Model };

struct CommandInfo {
    const char* name;
    const char* summary;
    Program program;
};

const std::vector<CommandInfo>& commandTable(); // sorted by name
const CommandInfo* findCommand(const std::string& name);
// "usage: mtlw ..." and one line per command, as `mtlw --help` prints it.
void printUsage(std::ostream& out);

} // namespace mtlw
