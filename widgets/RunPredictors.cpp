#include "widgets/RunPredictors.h"

#include "core/data/DatasetLocator.h"
#include "core/experiment/StoredRun.h"
#include "core/eval/RunPredictor.h"

#include <QFileInfo>
#include <QObject>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

ViewerRun viewerRunFor(qint64 runId, const QString& name, const QString& registryPath) {
    ViewerRun run;
    run.id = runId;
    run.name = name;
    run.open = [runId, path = registryPath.toStdString()]() -> ViewerRun::Opened {
        auto predictor = std::make_shared<mtl::RunPredictor>(mtl::openStoredRun(std::to_string(runId), path));
        const QString source = QObject::tr("%1, step %2")
                                   .arg(QFileInfo(QString::fromStdString(predictor->checkpointPath())).fileName())
                                   .arg(predictor->checkpointStep());
        return {[predictor](const cv::Mat& rgb) { return predictor->predict(rgb); }, source};
    };
    return run;
}

std::shared_ptr<const mtl::Dataset> validationImagesOf(qint64 runId, const QString& registryPath) {
    const mtl::StoredRun run = mtl::openStoredRun(std::to_string(runId), registryPath.toStdString());
    const auto where = mtl::locateDataset(run.config.data.dataset, run.config.data.synthetic);
    return mtl::openDataset(where, run.config.data.valSplit);
}

TablesInput tablesInputFor(const QList<qint64>& runIds, const QString& registryPath) {
    static std::mutex cacheMutex;
    static std::map<std::string, mtl::ClassShares> sharesCache; // "dataset|splits"
    TablesInput in;
    std::optional<mtl::ExperimentConfig> first;
    for (const qint64 id : runIds) {
        try {
            const mtl::StoredRun run = mtl::openStoredRun(std::to_string(id), registryPath.toStdString());
            in.runs.push_back(mtl::tableRunFrom(run));
            if (!first) first = run.config;
        } catch (const std::exception& e) {
            in.skipped << QString::fromStdString(e.what());
        }
    }
    if (!first) return in;
    const std::string key = first->data.dataset + "|" + first->data.trainSplits;
    {
        std::lock_guard<std::mutex> lock(cacheMutex);
        if (auto it = sharesCache.find(key); it != sharesCache.end()) {
            in.shares = it->second;
            return in;
        }
    }
    try {
        in.shares = mtl::trainingClassShares(*first, "", 0);
        std::lock_guard<std::mutex> lock(cacheMutex);
        sharesCache[key] = in.shares;
    } catch (const std::exception& e) {
        in.skipped << QString("no %-of-classes row: %1").arg(QString::fromStdString(e.what()));
    }
    return in;
}
