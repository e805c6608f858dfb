#include "CommandTable.h"

#include <algorithm>

namespace mtlw {

const std::vector<CommandInfo>& commandTable() {
    static const std::vector<CommandInfo> table = [] {
        std::vector<CommandInfo> t = {
            {"run", "train one experiment from a YAML config and print its results", Program::Model},
            {"synth", "write a synthetic street-scene data set in the Cityscapes layout", Program::Data},
            {"runs", "list, show, remove, tag and annotate the runs of the registry", Program::Mtlw},
            {"sweep", "expand a grid of configs: train it here (--local J) or write a SLURM array", Program::Mtlw},
            {"import", "merge run folders (e.g. from a SLURM sweep) into the registry", Program::Mtlw},
            {"score-det", "score COCO detection results against COCO ground truth (JSON)", Program::Mtlw},
            {"score-seg", "score a folder of label-map PNGs against ground truth (JSON)", Program::Data},
            {"dataset", "data set facts (info: counts and class shares; coco: COCO ground truth; anchors: can the anchors match the boxes)", Program::Data},
            {"split", "choose the labeled subsets of the paper's settings (a)-(e) (JSON)", Program::Data},
            {"augment", "apply one strong-augmentation operation to an image", Program::Model},
            {"eval", "evaluate a run's best weights on a split (JSON; COCO and label-map exports)", Program::Model},
            {"diagnose", "diagnostics of a trained run (equivariance: does f(T x) = T f(x) for the strong view's warps)",
             Program::Model},
            {"export", "runs' metrics for other tools (tensorboard: event files for TensorBoard, W&B, Aim)",
             Program::Mtlw},
            {"table", "paper-style tables of runs' results (CSV, Markdown, LaTeX)", Program::Data},
            {"augment-preview", "write a sample's weak and strong views with labels and the warped target",
             Program::Model},
        };
        std::sort(t.begin(), t.end(), [](const CommandInfo& a, const CommandInfo& b) { return std::string(a.name) < b.name; });
        return t;
    }();
    return table;
}

const CommandInfo* findCommand(const std::string& name) {
    for (const auto& c : commandTable())
        if (name == c.name) return &c;
    return nullptr;
}

void printUsage(std::ostream& out) {
    out << "usage: mtlw [--help] [--version] COMMAND [ARGS]\n\ncommands:\n";
    for (const auto& c : commandTable()) {
        const std::string name = c.name;
        out << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << c.summary << "\n";
    }
    out << "\n'mtlw COMMAND --help' describes a command's options.\n";
}

} // namespace mtlw
