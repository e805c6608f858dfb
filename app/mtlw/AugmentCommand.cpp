#include "ArgParser.h"
#include "Commands.h"

#include "core/augment/AugmentOps.h"
#include "core/augment/AugmentPreview.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

namespace mtlw {

namespace {
std::string operationList() {
    std::string list;
    for (const auto& info : mtl::augmentOps()) {
        list += std::string("\n  ") + info.name;
        if (!mtl::hasMagnitude(info.op)) continue;
        std::ostringstream range;
        range << " [" << info.lo << ", " << info.hi << "] " << info.unit;
        list += range.str();
    }
    return list;
}
} // namespace

int augmentCommand(const Args& args) {
    ArgParser p("augment", "Applies one strong-augmentation operation at a fixed magnitude to an image, as the "
                           "strong view does (geometric operations about the centre, outside black; cutout "
                           "centred), for inspection. Operations and magnitude ranges:" + operationList());
    p.option("op", "NAME", "operation (required)")
        .option("magnitude", "V", "magnitude in the operation's range (0 for operations without one)", "0")
        .positional("IN", "input image (PNG, JPEG, ...)")
        .positional("OUT", "output image; the format follows the extension");
    if (auto code = p.parseOrExit(args)) return *code;
    double magnitude = 0;
    try {
        if (!p.has("op")) throw UsageError("missing --op NAME");
        magnitude = p.number("magnitude");
    } catch (const UsageError& e) {
        std::cerr << "mtlw augment: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("augment", [&] {
        const mtl::AugmentOp op = mtl::parseAugmentOp(p.value("op"));
        std::error_code ec; // checked first: OpenCV would also print its own warning
        if (!std::filesystem::is_regular_file(p.value("IN"), ec)) throw mtl::InputError(p.value("IN") + ": no such file");
        const cv::Mat bgr = cv::imread(p.value("IN"), cv::IMREAD_COLOR);
        if (bgr.empty()) throw mtl::InputError(p.value("IN") + ": cannot decode the image");
        cv::Mat rgb, out;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        cv::cvtColor(mtl::applyAugmentOp(rgb, op, magnitude), out, cv::COLOR_RGB2BGR);
        if (!cv::imwrite(p.value("OUT"), out)) throw mtl::Error(p.value("OUT") + ": cannot write the image");
        return 0;
    });
}

} // namespace mtlw
