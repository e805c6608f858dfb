#include "widgets/RunPredictors.h"

#include "core/data/DatasetLocator.h"
#include "core/experiment/StoredRun.h"
#include "core/eval/RunPredictor.h"

#include <QFileInfo>
#include <QObject>

#include <filesystem>
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

QList<RankedRun> rankedRunsFor(const QList<qint64>& runIds, const QMap<qint64, QString>& names,
                               const QString& registryPath) {
    QList<RankedRun> runs;
    for (const qint64 id : runIds) {
        RankedRun run;
        run.id = id;
        run.name = names.value(id, QString::number(id));
        try {
            const mtl::StoredRun stored = mtl::openStoredRun(std::to_string(id), registryPath.toStdString());
            const mtl::StoredResults results = mtl::readRunResults(stored.dir);
            if (results.report.perImageFile.empty())
                run.missing = QObject::tr("%1: no per-image results (trained before they were kept); plain order")
                                  .arg(run.name);
            else
                run.results = mtl::readPerImageResults(
                    (std::filesystem::path(stored.dir) / results.report.perImageFile).string());
        } catch (const std::exception& e) {
            run.missing = run.name + ": " + QString::fromStdString(e.what());
        }
        runs << run;
    }
    return runs;
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
    const mtl::TableRun& lead = in.runs.front();
    const std::string label = "run " + std::to_string(lead.id) + " " + lead.name;
    if (lead.results.report.perImageFile.empty()) {
        in.confusionNote = QObject::tr("%1 keeps no per-image results (trained before they were kept)")
                               .arg(QString::fromStdString(label));
    } else {
        try {
            const auto dir = std::filesystem::path(lead.results.file).parent_path();
            in.confusion = mtl::confusionTable(mtl::readPerImageResults((dir / lead.results.report.perImageFile).string()), label);
        } catch (const std::exception& e) {
            in.confusionNote = QString::fromStdString(e.what());
        }
    }
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
