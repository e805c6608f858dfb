#pragma once
// A trained run, loaded for prediction: its config (the model it describes, the data set it
// validated on, eval.input_width × eval.input_height) and a checkpoint of its weights. `mtlw eval`
// scores whole splits with it and exports COCO files and label maps; the GUI's qualitative viewer
// predicts one image at a time. Torch-free header.
#include "core/data/Dataset.h"
#include "core/eval/EquivarianceProbe.h"
#include "core/eval/ValidationReport.h"
#include "core/model/ImagePrediction.h"
#include "core/experiment/StoredRun.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mtl {

struct RunPredictorOptions {
    std::string checkpoint;       // empty: the run's best.pt when it has one, else checkpoint.pt
    std::string device = "auto";  // auto | cpu | cuda
    int threads = 0;              // Torch intra-op threads; 0 = all cores
};

struct EvaluationOptions {
    std::string split = "val";
    int maxImages = 0;            // 0 = the whole split (else its first images, in data set order)
    std::string cocoOut;          // folder for gt.json and detections.json; empty = not written
    std::string segOut;           // folder for <image id>.png predicted train ids; empty = not written
    int batchSize = 4;
    std::function<void(int done, int total)> progress; // called from the calling thread
};

struct Evaluation {
    ValidationReport report;
    std::string json; // what `mtlw eval` prints (one line)
};

struct EquivarianceDiagnosis {
    std::vector<EquivarianceScore> scores;
    std::size_t images = 0;
    std::string data;  // the data set and split the images came from
    std::string saved; // the run folder's equivariance.json, when kept
};

class RunPredictor {
public:
    // InputError when the checkpoint is missing, unreadable or of another architecture, or the
    // run's data set cannot be found.
    explicit RunPredictor(StoredRun run, RunPredictorOptions options = {});
    ~RunPredictor();
    RunPredictor(const RunPredictor&) = delete;
    RunPredictor& operator=(const RunPredictor&) = delete;

    const StoredRun& run() const;
    const ClassNames& classes() const;
    const std::string& checkpointPath() const;
    std::int64_t checkpointStep() const;
    std::string device() const;

    // An RGB CV_8UC3 image of any size; predictions come at its size.
    ImagePrediction predict(const cv::Mat& rgb);
    // Scores a split of the run's data set against its full-resolution labels and writes the
    // requested exports. The COCO files score to the same numbers with `mtlw score-det`, and the
    // label maps with `mtlw score-seg` against the split's label maps.
    Evaluation evaluate(const EvaluationOptions& options);
    // `mtlw diagnose equivariance` and the GUI's Measure: the first maxImages images of a split of
    // the run's data set through measureEquivariance, kept in the run folder (kEquivarianceFile)
    // when `save`, for the Equivariance tab.
    EquivarianceDiagnosis diagnoseEquivariance(const std::string& split, int maxImages, EquivarianceOptions options,
                                               bool save);

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace mtl
