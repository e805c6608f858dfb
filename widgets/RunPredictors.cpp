#include "widgets/RunPredictors.h"

#include "core/data/DatasetLocator.h"
#include "core/experiment/StoredRun.h"
#include "core/eval/RunPredictor.h"

#include <QFileInfo>
#include <QObject>

#include <memory>
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
    try {
        // Cached on disk per data set and splits: computed once, then a stat per folder.
        const mtl::SharesRow row = mtl::trainingClassShares(*first, "", 0);
        if (row.shares) in.shares = *row.shares;
        else in.sharesNote = QString::fromStdString(row.note);
    } catch (const std::exception& e) {
        in.sharesNote = QString("no class shares row: %1").arg(QString::fromStdString(e.what()));
    }
    return in;
}
