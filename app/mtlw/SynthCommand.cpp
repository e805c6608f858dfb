#include "ArgParser.h"
#include "Commands.h"

#include "core/common/Error.h"
#include "core/data/SyntheticCityscapes.h"

#include <iostream>
#include <limits>

namespace mtlw {

int synthCommand(const Args& args) {
    ArgParser p("synth", "Writes procedurally generated street scenes in the Cityscapes on-disk layout "
                         "(leftImg8bit/, gtFine/ with labelIds and instanceIds). The same seed gives the "
                         "same files on every machine.");
    p.option("out", "DIR", "output folder (required unless --sheet)")
        .option("train", "N", "training images", "200")
        .option("val", "M", "validation images", "40")
        .option("width", "W", "image width in pixels", "256")
        .option("height", "H", "image height in pixels", "128")
        .option("seed", "S", "random seed", "0")
        .option("sheet", "FILE", "write a PNG contact sheet of the first training scenes (image above labels) "
                                 "instead of the data set")
        .option("sheet-count", "N", "scenes on the contact sheet", "16");
    if (auto code = p.parseOrExit(args)) return *code;
    mtl::SynthOptions o;
    int sheetCount = 16;
    try {
        if (!p.has("out") && !p.has("sheet")) throw UsageError("missing --out DIR (or --sheet FILE)");
        if (p.has("out")) o.outDir = p.value("out");
        o.train = static_cast<int>(p.integer("train", 1, 10000000));
        o.val = static_cast<int>(p.integer("val", 0, 10000000));
        o.width = static_cast<int>(p.integer("width", 64, 8192));
        o.height = static_cast<int>(p.integer("height", 64, 8192));
        o.seed = static_cast<std::uint64_t>(p.integer("seed", 0, std::numeric_limits<long long>::max()));
        sheetCount = static_cast<int>(p.integer("sheet-count", 1, 1024));
    } catch (const UsageError& e) {
        std::cerr << "mtlw synth: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("synth", [&] {
        if (p.has("sheet")) {
            mtl::writeSyntheticContactSheet(o, p.value("sheet"), sheetCount);
            std::cout << "wrote a contact sheet of " << sheetCount << " training scenes (" << o.width << "x"
                      << o.height << ", seed " << o.seed << ") to " << p.value("sheet") << "\n";
            return 0;
        }
        mtl::writeSyntheticCityscapes(o);
        std::cout << "wrote " << o.train << " train and " << o.val << " val images (" << o.width << "x"
                  << o.height << ", seed " << o.seed << ") to " << o.outDir << "\n";
        return 0;
    });
}

} // namespace mtlw
