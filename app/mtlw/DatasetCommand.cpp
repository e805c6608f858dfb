#include "ArgParser.h"
#include "Commands.h"

#include "core/common/Paths.h"
#include "core/data/DatasetLocator.h"
#include "core/data/DatasetReport.h"

#include <iostream>

namespace mtlw {

namespace {

constexpr const char* kDatasetHelp = "DATASET is synthetic, synthetic:ROOT, cityscapes:ROOT or bdd100k:ROOT.";

ArgParser infoParser() {
    ArgParser p("dataset info", std::string("Prints JSON about a data set: images per split, labeled images per "
                                            "task, and the class shares of one split (% of labeled pixels per "
                                            "segmentation class, % of objects per detection class). ") +
                                    kDatasetHelp);
    p.positional("DATASET", "the data set")
        .option("split", "S", "split whose class shares are computed", "train")
        .option("threads", "N", "decoding threads (0: all cores)", "0");
    return p;
}

ArgParser cocoParser() {
    ArgParser p("dataset coco", std::string("Writes the detection ground truth of a split in COCO format (for "
                                            "`mtlw score-det` or any COCO tool). ") + kDatasetHelp);
    p.positional("DATASET", "the data set")
        .option("split", "S", "split to export ('+' joins splits)", "val")
        .option("out", "FILE", "where to write the JSON")
        .option("threads", "N", "decoding threads (0: all cores)", "0");
    return p;
}

int infoCommand(const Args& args) {
    ArgParser p = infoParser();
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("dataset info", [&] {
        const int threads = static_cast<int>(p.integer("threads", 0, 1024));
        const auto where = mtl::locateDataset(p.value("DATASET"), {});
        std::cout << mtl::datasetInfoJson(p.value("DATASET"), where, p.value("split"), threads);
        return 0;
    });
}

int cocoCommand(const Args& args) {
    ArgParser p = cocoParser();
    if (auto code = p.parseOrExit(args)) return *code;
    if (!p.has("out")) {
        std::cerr << "mtlw dataset coco: --out FILE is required\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("dataset coco", [&] {
        const int threads = static_cast<int>(p.integer("threads", 0, 1024));
        const mtl::DatasetLocation where = mtl::locateDataset(p.value("DATASET"), {});
        const auto data = mtl::openDataset(where, p.value("split"));
        mtl::writeFileAtomically(p.value("out"), mtl::cocoGroundTruthJson(*data, where.root, threads));
        std::cerr << "wrote " << p.value("out") << ": " << data->labeledCount(mtl::Task::Detection)
                  << " detection-labeled images of " << data->description() << "\n";
        return 0;
    });
}

} // namespace

int datasetCommand(const Args& args) {
    if (!args.empty() && args[0] == "info") return infoCommand(Args(args.begin() + 1, args.end()));
    if (!args.empty() && args[0] == "coco") return cocoCommand(Args(args.begin() + 1, args.end()));
    if (!args.empty() && args[0] == "anchors") return datasetAnchorsCommand(Args(args.begin() + 1, args.end()));
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::cout << infoParser().help() << "\n" << cocoParser().help() << "\n";
        return datasetAnchorsCommand({"--help"});
    }
    std::cerr << infoParser().usage() << "\n" << cocoParser().usage() << "\n"
              << "usage: mtlw dataset anchors DATASET --config FILE [--split S] [--threads N] [--json]\n";
    return 2;
}

} // namespace mtlw
