#include "ArgParser.h"
#include "Commands.h"

#include "core/augment/AugmentPreview.h"

#include <iostream>
#include <limits>

namespace mtlw {

int augmentPreviewCommand(const Args& args) {
    const mtl::AugmentOptions defaults;
    ArgParser p("augment-preview",
                "Writes the weak and strong views of one training sample with their labels drawn, the "
                "weak view's labels warped by A∘α⁻¹ (what a teacher target becomes) beside the strong "
                "view, and a panel of all of them; prints the drawn parameters as JSON.");
    p.positional("DATASET", "synthetic, synthetic:ROOT or cityscapes:ROOT")
        .option("index", "I", "sample of the train split", "0")
        .option("mode", "MODE", "invariant (FixMatch*) or equivariant (Dense FixMatch)", "equivariant")
        .option("seed", "S", "random seed", "0")
        .option("out", "DIR", "output folder (required)")
        .option("crop-width", "W", "view width", std::to_string(defaults.cropWidth))
        .option("crop-height", "H", "view height", std::to_string(defaults.cropHeight))
        .option("num-ops", "N", "RandAugment operations per view", std::to_string(defaults.numOps));
    if (auto code = p.parseOrExit(args)) return *code;
    mtl::AugmentPreviewRequest r;
    try {
        if (!p.has("out")) throw UsageError("missing --out DIR");
        r.dataset = p.value("DATASET");
        r.outDir = p.value("out");
        r.index = static_cast<std::size_t>(p.integer("index", 0, std::numeric_limits<int>::max()));
        r.seed = static_cast<std::uint64_t>(p.integer("seed", 0, std::numeric_limits<long long>::max()));
        r.options.cropWidth = static_cast<int>(p.integer("crop-width", 1, 8192));
        r.options.cropHeight = static_cast<int>(p.integer("crop-height", 1, 8192));
        r.options.numOps = static_cast<int>(p.integer("num-ops", 0, 16));
    } catch (const UsageError& e) {
        std::cerr << "mtlw augment-preview: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("augment-preview", [&] {
        r.options.mode = mtl::parseAugmentMode(p.value("mode"));
        const auto result = mtl::writeAugmentPreview(r);
        std::cout << result.description << "\n";
        for (const auto& f : result.files) std::cout << "wrote " << f << "\n";
        return 0;
    });
}

} // namespace mtlw
