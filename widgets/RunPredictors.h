#pragma once
// What the viewer and the tables read of registry runs through the evaluation core: a ViewerRun
// whose predictor is a RunPredictor over the run's folder and checkpoint (loaded in the viewer's
// worker thread), and the stored results of runs for the tables (read off the GUI thread by the
// caller).
#include "core/eval/ConfusionTable.h"
#include "core/eval/PaperTable.h"
#include "widgets/ImageRankingPanel.h"
#include "widgets/QualitativeViewer.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <vector>

ViewerRun viewerRunFor(qint64 runId, const QString& name, const QString& registryPath);
// The validation images of a run's own config (data set and split): what the viewer shows without
// an experiment. Blocking (may generate the synthetic set): call it off the GUI thread.
std::shared_ptr<const mtl::Dataset> validationImagesOf(qint64 runId, const QString& registryPath);
// What the tables tab shows for a selection: the runs with results, the class shares of the first
// one's training data (cached per data set and splits: reading them takes seconds on Cityscapes),
// and why runs were left out. Blocking: call it off the GUI thread.
struct TablesInput {
    std::vector<mtl::TableRun> runs;
    mtl::ClassShares shares;
    QStringList skipped;
    QString sharesNote; // why the shares row is missing (the data set is not on this machine)
    mtl::Table confusion; // the first run's confusion matrix (core confusionTable); empty: see the note
    QString confusionNote;
};
// The viewer's ranking of its images: each run's per-image results of its best validation (the one
// whose weights the viewer predicts with), or why it has none.
QList<RankedRun> rankedRunsFor(const QList<qint64>& runIds, const QMap<qint64, QString>& names,
                               const QString& registryPath);

TablesInput tablesInputFor(const QList<qint64>& runIds, const QString& registryPath);
