#pragma once
// What the viewer and the tables read of registry runs through the evaluation core: a ViewerRun
// whose predictor is a RunPredictor over the run's folder and checkpoint (loaded in the viewer's
// worker thread), and the stored results of runs for the tables (read off the GUI thread by the
// caller).
#include "core/eval/PaperTable.h"
#include "widgets/QualitativeViewer.h"

#include <QString>

#include <vector>

ViewerRun viewerRunFor(qint64 runId, const QString& name, const QString& registryPath);
// Runs without results are left out; their messages are returned in `skipped`.
std::vector<mtl::TableRun> tableRunsFor(const QList<qint64>& runIds, const QString& registryPath, QStringList* skipped);
