#include "core/train/RunRecorder.h"

#include "core/common/Paths.h"
#include "core/common/Version.h"
#include "core/common/VersionReport.h"
#include "core/eval/RunResults.h"
#include "core/experiment/RunFolder.h"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <limits>

namespace fs = std::filesystem;

namespace mtl {
namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

RunRecorder::RunRecorder(std::int64_t runId, std::string runDir, std::string registryPath, TrainingObserver& observer)
    : id_(runId), runDir_(std::move(runDir)), registryPath_(std::move(registryPath)), observer_(observer),
      log_(fs::path(runDir_) / runfiles::kLog, std::ios::app) {}

RunRecorder::RunRecorder(TrainingObserver& observer) : id_(0), observer_(observer), writes_(false) {}

Registry& RunRecorder::registry() {
    if (!registry_) registry_ = std::make_unique<Registry>(registryPath_);
    return *registry_;
}

void RunRecorder::begin() {
    if (!writes_) return;
    Registry& r = registry();
    r.setStatus(id_, RunStatus::Running);
    r.setRunMetadata(id_, projectVersion(), libraryVersions());
    const std::pair<const char*, const char*> filesAtStart[] = {
        {"config", runfiles::kConfig}, {"log", runfiles::kLog}, {"metrics_csv", runfiles::kMetrics}};
    for (const auto& [kind, file] : filesAtStart) r.recordArtifact(id_, kind, (fs::path(runDir_) / file).string());
    writeRunInfo(runDir_, *r.run(id_), r.checkpoints(id_));
}

void RunRecorder::say(const std::string& line) {
    if (writes_) log_ << line << std::endl;
    observer_.onMessage(line);
}

void RunRecorder::recordSplit(const std::string& splitJson) {
    if (!writes_) return;
    registry().setRunSplit(id_, splitJson);
    const std::string path = (fs::path(runDir_) / runfiles::kSplit).string();
    std::ofstream(path) << splitJson;
    registry().recordArtifact(id_, "split", path);
}

void RunRecorder::recordArtifact(const std::string& kind, const std::string& path) {
    if (!writes_) return;
    registry().recordArtifact(id_, kind, path);
}

void RunRecorder::restartAfter(std::int64_t step, bool resuming) {
    if (!writes_) return;
    registry().truncateAfter(id_, step);
    const std::string path = (fs::path(runDir_) / runfiles::kMetrics).string();
    const bool append = resuming && fs::is_regular_file(path);
    if (append) truncateMetricsCsv(path, step);
    csv_.open(path, append ? std::ios::app : std::ios::trunc);
    if (!append) csv_ << "step,key,value,wall_time\n";
}

void RunRecorder::logMetrics(std::int64_t step, const std::vector<std::pair<std::string, double>>& values) {
    if (!writes_) return;
    const double t = now();
    registry().logMetrics(id_, step, values, t);
    // Full precision: `mtlw import` reads the values back from this file.
    for (const auto& [k, v] : values)
        csv_ << step << ',' << k << ',' << std::setprecision(std::numeric_limits<double>::max_digits10) << v << ','
             << std::setprecision(15) << t << '\n';
    csv_.flush();
}

void RunRecorder::reportStep(const StepReport& report, const std::vector<std::pair<std::string, double>>& values) {
    logMetrics(report.step, values);
    observer_.onStep(report);
}

void RunRecorder::recordValidation(const ValidationReport& r, const ClassNames& classes) {
    if (!writes_) return;
    std::vector<std::pair<std::string, double>> values;
    if (r.hasSeg()) values.push_back({"val/mIoU", r.mIoU});
    if (r.hasDet()) values.insert(values.end(), {{"val/mAP", r.mAP}, {"val/AP50", r.AP50}});
    if (r.hasSeg() && r.hasDet()) values.push_back({"val/geo_mean", r.geometricMean});
    // Per class as keys of their own, so that a class's curve can be drawn like any metric; a
    // class absent from the validation images has no value, hence no point.
    for (std::size_t c = 0; c < r.segIoU.size(); ++c)
        if (r.segIoU[c]) values.push_back({"val_iou/" + classes.seg.at(c), *r.segIoU[c]});
    for (std::size_t c = 0; c < r.detAP.size(); ++c)
        if (r.detAP[c]) values.push_back({"val_ap/" + classes.det.at(c), *r.detAP[c]});
    logMetrics(r.step, values);
    const double absent = std::numeric_limits<double>::quiet_NaN();
    std::vector<ClassResult> perClass;
    for (std::size_t c = 0; c < r.segIoU.size(); ++c)
        perClass.push_back({r.step, "seg", classes.seg.at(c), "IoU", r.segIoU[c].value_or(absent)});
    for (std::size_t c = 0; c < r.detAP.size(); ++c)
        perClass.push_back({r.step, "det", classes.det.at(c), "AP", r.detAP[c].value_or(absent)});
    registry().recordClassResults(id_, perClass);
    const std::string results = (fs::path(runDir_) / runfiles::kResults).string();
    std::ofstream(results) << validationResultsJson(r, classes);
    registry().recordArtifact(id_, "results", results);
}

void RunRecorder::recordStudentValidation(const ValidationReport& r) {
    if (!writes_) return;
    std::vector<std::pair<std::string, double>> values;
    if (r.hasSeg()) values.push_back({"val_student/mIoU", r.mIoU});
    if (r.hasDet()) values.insert(values.end(), {{"val_student/mAP", r.mAP}, {"val_student/AP50", r.AP50}});
    if (r.hasSeg() && r.hasDet()) values.push_back({"val_student/geo_mean", r.geometricMean});
    logMetrics(r.step, values);
}

std::string RunRecorder::recordPerImage(const PerImageResults& results) {
    if (!writes_) return {};
    const std::string file = perImageFileName(results.step);
    const fs::path path = fs::path(runDir_) / file;
    fs::create_directories(path.parent_path());
    writeFileAtomically(path.string(), perImageResultsJson(results));
    return file;
}

void RunRecorder::recordBest(std::int64_t step, const std::string& path, double geometricMean) {
    if (!writes_) return;
    say("step " + std::to_string(step) + ": new best geometric mean " + std::to_string(geometricMean) +
        ", saved as best.pt");
    registry().recordCheckpoint(id_, "best", step, path, geometricMean);
}

void RunRecorder::recordCheckpoint(std::int64_t step, const std::string& path) {
    if (!writes_) return;
    registry().recordCheckpoint(id_, "last", step, path, std::numeric_limits<double>::quiet_NaN());
    writeRunInfo(runDir_, *registry().run(id_), registry().checkpoints(id_));
}

void RunRecorder::warnAboutSkippedSamples(const std::vector<std::string>& messages) {
    if (messages.size() <= reportedSkips_) return;
    observer_.onMessage("warning: " + std::to_string(messages.size()) +
                        " unreadable training samples left out so far; latest: " + messages.back());
    reportedSkips_ = messages.size();
}

std::string RunRecorder::keptCheckpoint() {
    if (!writes_) return "rank 0 keeps the checkpoints";
    std::string kept = "no checkpoint was written before";
    try {
        for (const auto& c : registry().checkpoints(id_))
            if (c.kind == "last") kept = "the last good checkpoint (step " + std::to_string(c.step) + ") is kept";
    } catch (const std::exception&) {
    }
    return kept;
}

std::string RunRecorder::end(RunStatus status, std::string message) {
    if (!writes_) return message;
    if (!message.empty()) log_ << "run " << toString(status) << ": " << message << std::endl;
    try {
        registry().setStatus(id_, status, message);
        writeRunInfo(runDir_, *registry().run(id_), registry().checkpoints(id_));
    } catch (const std::exception& e) {
        message += std::string(message.empty() ? "" : "; ") + "registry: " + e.what();
    }
    return message;
}

} // namespace mtl
