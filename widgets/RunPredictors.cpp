#include "widgets/RunPredictors.h"

#include "core/experiment/StoredRun.h"
#include "core/eval/RunPredictor.h"

#include <memory>

ViewerRun viewerRunFor(qint64 runId, const QString& name, const QString& registryPath) {
    ViewerRun run;
    run.id = runId;
    run.name = name;
    run.open = [runId, path = registryPath.toStdString()]() -> ViewerRun::Predict {
        auto predictor = std::make_shared<mtl::RunPredictor>(mtl::openStoredRun(std::to_string(runId), path));
        return [predictor](const cv::Mat& rgb) { return predictor->predict(rgb); };
    };
    return run;
}

std::vector<mtl::TableRun> tableRunsFor(const QList<qint64>& runIds, const QString& registryPath, QStringList* skipped) {
    std::vector<mtl::TableRun> out;
    for (const qint64 id : runIds) {
        try {
            out.push_back(mtl::tableRunFrom(mtl::openStoredRun(std::to_string(id), registryPath.toStdString())));
        } catch (const std::exception& e) {
            if (skipped) *skipped << QString::fromStdString(e.what());
        }
    }
    return out;
}
