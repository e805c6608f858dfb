// mtlw: the workbench's command line. Links core only (no Qt), so it runs on headless nodes.
#include "Commands.h"

#include "core/common/Device.h"

#include <cstring>
#include <iostream>
#include <map>

namespace {

struct Subcommand {
    int (*run)(const mtlw::Args&);
    const char* summary;
};

const std::map<std::string, Subcommand>& subcommands() {
    static const std::map<std::string, Subcommand> table = {
        {"run", {mtlw::runCommand, "train one experiment from a YAML config and print its results"}},
        {"synth", {mtlw::synthCommand, "write a synthetic street-scene data set in the Cityscapes layout"}},
        {"runs", {mtlw::runsCommand, "list, show, remove, tag and annotate the runs of the registry"}},
        {"sweep", {mtlw::sweepCommand, "expand a grid of configs: train it here (--local J) or write a SLURM array"}},
        {"import", {mtlw::importCommand, "merge run folders (e.g. from a SLURM sweep) into the registry"}},
        {"score-det", {mtlw::scoreDetCommand, "score COCO detection results against COCO ground truth (JSON)"}},
        {"score-seg", {mtlw::scoreSegCommand, "score a folder of label-map PNGs against ground truth (JSON)"}},
        {"dataset", {mtlw::datasetCommand, "data set facts (info: counts and class shares; coco: COCO ground truth)"}},
        {"split", {mtlw::splitCommand, "choose the labeled subsets of the paper's settings (a)-(e) (JSON)"}},
        {"augment", {mtlw::augmentCommand, "apply one strong-augmentation operation to an image"}},
        {"eval", {mtlw::evalCommand, "evaluate a run's best weights on a split (JSON; COCO and label-map exports)"}},
        {"table", {mtlw::tableCommand, "paper-style tables of runs' results (CSV, Markdown, LaTeX)"}},
        {"augment-preview", {mtlw::augmentPreviewCommand, "write a sample's weak and strong views with labels and the warped target"}},
    };
    return table;
}

void printUsage(std::ostream& out) {
    out << "usage: mtlw [--help] [--version] COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& [name, sub] : subcommands()) out << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << sub.summary << "\n";
    out << "\n'mtlw COMMAND --help' describes a command's options.\n";
}

} // namespace

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    if (argc < 2) {
        printUsage(std::cerr);
        return 2;
    }
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        printUsage(std::cout);
        return 0;
    }
    if (first == "--version") {
        std::cout << mtl::versionReport("mtlw");
        return 0;
    }
    const auto it = subcommands().find(first);
    if (it == subcommands().end()) {
        std::cerr << "mtlw: unknown command '" << first << "'\n";
        printUsage(std::cerr);
        return 2;
    }
    return it->second.run(mtlw::Args(argv + 2, argv + argc));
}
