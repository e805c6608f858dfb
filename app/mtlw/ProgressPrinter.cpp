#include "ProgressPrinter.h"

#include "core/data/CityscapesLabels.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace mtlw {
namespace {
std::string duration(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    std::ostringstream out;
    if (s >= 3600) out << s / 3600 << "h" << std::setw(2) << std::setfill('0') << (s % 3600) / 60 << "m";
    else if (s >= 60) out << s / 60 << "m" << std::setw(2) << std::setfill('0') << s % 60 << "s";
    else out << s << "s";
    return out.str();
}

std::string percent(const std::optional<double>& v) {
    if (!v) return "    -";
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << std::setw(5) << 100.0 * *v;
    return out.str();
}
} // namespace

ProgressPrinter::ProgressPrinter(bool quiet, int logLinesEvery, std::string prefix)
    : tty_(prefix.empty() && isatty(STDERR_FILENO) != 0), quiet_(quiet), logLinesEvery_(std::max(1, logLinesEvery)),
      prefix_(std::move(prefix)) {}

void ProgressPrinter::endBarLine() {
    if (barShown_) std::cerr << "\n";
    barShown_ = false;
}

void ProgressPrinter::onMessage(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    endBarLine();
    std::cerr << prefix_ << line << std::endl;
}

void ProgressPrinter::onStep(const mtl::StepReport& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (quiet_) return;
    const double eta = r.secondsPerStep * double(r.totalSteps - r.step);
    std::ostringstream losses;
    losses << std::fixed << std::setprecision(3) << "loss " << r.loss << " (seg " << r.segLoss
           << ", det " << r.detLoss() << ") | " << std::setprecision(3)
           << r.secondsPerStep << " s/step (data wait " << std::setprecision(0) << 100 * r.loaderWaitShare
           << "%) | ETA " << duration(eta);
    if (tty_) {
        const int width = 24;
        const int filled = static_cast<int>(width * double(r.step) / double(r.totalSteps));
        std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
                  << r.step << "/" << r.totalSteps << " " << losses.str() << "\033[K" << std::flush;
        barShown_ = true;
    } else if (++reports_ % logLinesEvery_ == 0 || r.step == r.totalSteps) {
        std::cerr << prefix_ << "step " << r.step << "/" << r.totalSteps << " " << losses.str() << std::endl;
    }
}

void ProgressPrinter::onValidation(const mtl::ValidationReport& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    endBarLine();
    std::cerr << prefix_ << std::fixed << std::setprecision(4) << "validation at step " << r.step << ":";
    if (r.hasSeg()) std::cerr << " mIoU " << r.mIoU;
    if (r.hasDet()) std::cerr << (r.hasSeg() ? "," : "") << " mAP " << r.mAP;
    if (r.hasSeg() && r.hasDet()) std::cerr << ", sqrt(mIoU*mAP) " << r.geometricMean;
    std::cerr << std::endl;
}

void ProgressPrinter::onFinished(mtl::RunStatus status, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    endBarLine();
    std::cerr << prefix_ << "run " << mtl::toString(status) << (message.empty() ? "" : ": " + message) << std::endl;
}

void printResultTable(std::ostream& out, const mtl::ValidationReport& r) {
    namespace cs = mtl::cityscapes;
    // A single-task model has one of the two sections only.
    if (r.hasSeg()) {
        out << "Segmentation (IoU %, " << r.images << " validation images, step " << r.step << ")\n";
        for (int c = 0; c < int(r.segIoU.size()); ++c)
            out << "  " << std::left << std::setw(16) << cs::segClassName(c) << std::right << percent(r.segIoU[c]) << "\n";
        out << "  " << std::left << std::setw(16) << "mIoU" << std::right << percent(r.mIoU) << "\n";
    }
    if (r.hasDet()) {
        out << "Detection (COCO AP@[.5:.95] %, " << r.images << " validation images, step " << r.step << ")\n";
        for (int c = 0; c < int(r.detAP.size()); ++c)
            out << "  " << std::left << std::setw(16) << cs::detClassName(c) << std::right << percent(r.detAP[c]) << "\n";
        out << "  " << std::left << std::setw(16) << "mAP" << std::right << percent(r.mAP) << "\n"
            << "  " << std::left << std::setw(16) << "AP50" << std::right << percent(r.AP50) << "\n"
            << "  " << std::left << std::setw(16) << "AP75" << std::right << percent(r.AP75) << "\n";
    }
    if (r.hasSeg() && r.hasDet()) out << "sqrt(mIoU*mAP) " << percent(r.geometricMean) << "\n";
}

} // namespace mtlw
