#include "ArgParser.h"
#include "Commands.h"

#include "core/common/Paths.h"
#include "core/data/DatasetLocator.h"
#include "core/data/LabelSplit.h"

#include <iostream>
#include <optional>

namespace mtlw {

int splitCommand(const Args& args) {
    ArgParser p("split", "Decides which training images are labeled for which task, following the paper's "
                         "settings: (a) all detection, k_seg segmentation; (b) the same k images for both; (c) two "
                         "independent random subsets of k; (d) k_seg segmentation inside k_det detection; (e) two "
                         "independent random subsets of k_det and k_seg. Writes JSON with the ids per task, the "
                         "counts and the overlap; a run config names it as data.split.file.");
    p.positional("DATASET", "synthetic, synthetic:ROOT, cityscapes:ROOT or bdd100k:ROOT")
        .option("setting", "a|b|c|d|e", "the labeled-subset setting")
        .option("det", "K", "detection-labeled images: a count (372), a fraction (1/8) or all")
        .option("seg", "K", "segmentation-labeled images: a count (93), a fraction (1/32) or all")
        .option("seed", "S", "random seed: the same seed gives the same split on every machine", "0")
        .option("train-splits", "S", "training split(s), '+' joins them", "train")
        .option("out", "FILE", "where to write the split JSON");
    if (auto code = p.parseOrExit(args)) return *code;
    for (const char* required : {"setting", "out"})
        if (!p.has(required)) {
            std::cerr << "mtlw split: --" << required << " is required\n" << p.usage() << "\n";
            return 2;
        }
    return withExitCodes("split", [&] {
        const auto seed = static_cast<std::uint64_t>(p.integer("seed", 0, 9223372036854775807LL));
        const auto train = mtl::openDataset(mtl::locateDataset(p.value("DATASET"), {}), p.value("train-splits"));
        std::size_t pool = 0;
        for (std::size_t i = 0; i < train->size(); ++i)
            pool += train->labeled(i, mtl::Task::Segmentation) && train->labeled(i, mtl::Task::Detection);
        auto count = [&](const char* task) -> std::optional<std::size_t> {
            if (!p.has(task)) return std::nullopt;
            return mtl::parseLabelCount(p.value(task), pool, std::string("--") + task);
        };
        mtl::LabelSplit split = mtl::makeLabelSplit(*train, p.value("setting"), count("det"), count("seg"), seed);
        split.dataset = p.value("DATASET");
        mtl::writeFileAtomically(p.value("out"), mtl::labelSplitToJson(split, train->size()));
        std::cout << "setting (" << split.setting << "): " << split.det.size() << " detection, " << split.seg.size()
                  << " segmentation, overlap " << split.overlap() << " (expected " << split.expectedOverlap
                  << ") of " << split.poolSize << " images; wrote " << p.value("out") << "\n";
        return 0;
    });
}

} // namespace mtlw
