#include "widgets/MainWindow.h"

#include "core/common/Device.h"
#include "core/common/VersionReport.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/experiment/RunFolder.h"
#include "core/experiment/RunSummary.h"
#include "core/experiment/SeedGroups.h"
#include "widgets/AugmentPreviewWidget.h"
#include "widgets/ImageRankingPanel.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/QualitativeViewer.h"
#include "widgets/RunMetricsLoader.h"
#include "widgets/RunPredictors.h"
#include "widgets/RunTableModel.h"
#include "widgets/RunsPanel.h"
#include "widgets/SubsetDesigner.h"
#include "widgets/TablesWidget.h"
#include "widgets/TeacherInspector.h"
#include "widgets/EquivarianceView.h"
#include "widgets/TrainingController.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include <algorithm>
#include <filesystem>

namespace {
struct ExperimentData {
    QString error;
    QString datasetSpec; // kind:root, for the augmentation preview
    std::shared_ptr<const mtl::Dataset> train, val;
};
} // namespace

MainWindow::MainWindow(const QString& registryPath, const QString& configPath, QWidget* parent)
    : QMainWindow(parent), registryPath_(registryPath),
      registry_(std::make_unique<mtl::Registry>(registryPath.toStdString())),
      summaries_(std::make_unique<mtl::RunSummaryCache>()),
      controller_(new TrainingController(registryPath, this)), loader_(new RunMetricsLoader(registryPath, this)),
      runs_(new RunsPanel(this)), plots_(new MetricPlotWidget(this)), viewer_(new QualitativeViewer(this)),
      designer_(new SubsetDesigner(this)), augment_(new AugmentPreviewWidget(this)),
      tables_(new TablesWidget(this)), teacher_(new TeacherInspector(this)),
      equivariance_(new EquivarianceView(this)), tabs_(new QTabWidget(this)),
      log_(new QPlainTextEdit(this)), experimentLabel_(new QLabel(this)), progressLabel_(new QLabel(this)),
      deviceLabel_(new QLabel(this)), queueLabel_(new QLabel(this)), registryLabel_(new QLabel(this)),
      refreshTimer_(new QTimer(this)), liveTimer_(new QTimer(this)) {
    setWindowTitle(tr("MTL Workbench"));
    resize(1280, 820);
    tabs_->addTab(designer_, tr("&Designer"));
    tabs_->addTab(plots_, tr("&Plots"));
    tabs_->addTab(viewer_, tr("&Viewer"));
    tabs_->addTab(augment_, tr("&Augmentation"));
    tabs_->addTab(tables_, tr("&Tables"));
    tabs_->addTab(teacher_, tr("T&eacher"));
    tabs_->addTab(equivariance_, tr("E&quivariance"));
    setCentralWidget(tabs_);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (tabs_->currentWidget() == tables_ && tablesPending_) updateTables();
    });

    auto* runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName("runsDock");
    runsDock->setWidget(runs_);
    addDockWidget(Qt::BottomDockWidgetArea, runsDock);
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName("logDock");
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    logDock->setWidget(log_);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    tabifyDockWidget(runsDock, logDock);
    runsDock->raise();

    buildMenus();
    menuBar()->findChild<QMenu*>("viewMenu")->addActions({runsDock->toggleViewAction(), logDock->toggleViewAction()});
    statusBar()->addWidget(progressLabel_, 1);
    statusBar()->addPermanentWidget(queueLabel_);
    statusBar()->addPermanentWidget(deviceLabel_);
    statusBar()->addPermanentWidget(registryLabel_);
    deviceLabel_->setText(tr("device: %1").arg(QString::fromStdString(mtl::resolveDevice("auto"))));
    deviceLabel_->setToolTip(QString::fromStdString(mtl::autoDeviceSummary()));
    // Elided in the middle, where a long path's least telling part is; the tooltip has all of it.
    registryLabel_->setText(registryLabel_->fontMetrics().elidedText(tr("registry: %1").arg(registryPath),
                                                                      Qt::ElideMiddle, 360));
    registryLabel_->setToolTip(registryPath);

    connect(runs_, &RunsPanel::selectionChanged, this, &MainWindow::showRuns);
    connect(runs_, &RunsPanel::deleteRequested, this, [this](const QList<qint64>& ids) { deleteRuns(ids); });
    connect(runs_, &RunsPanel::stopRequested, this, [this](const QList<qint64>& ids) {
        for (const qint64 id : ids) {
            if (id == controller_->currentRunId() && controller_->isRunning()) controller_->stop();
            else controller_->cancelQueued(id);
        }
        refreshRuns();
    });
    connect(runs_, &RunsPanel::resumeRequested, this, [this](const QList<qint64>& ids) {
        for (const qint64 id : ids) {
            try {
                controller_->resume(id);
            } catch (const std::exception& e) {
                QMessageBox::warning(this, tr("Cannot resume run %1").arg(id), QString::fromStdString(e.what()));
            }
        }
        refreshRuns();
    });
    connect(runs_, &RunsPanel::runAgainRequested, this, [this](const QList<qint64>& ids) {
        std::vector<mtl::ExperimentConfig> configs;
        try {
            for (const qint64 id : ids)
                if (const auto run = registry_->run(id))
                    configs.push_back(mtl::parseExperimentConfig(run->configYaml, "run " + std::to_string(id)));
        } catch (const std::exception& e) {
            QMessageBox::warning(this, tr("Cannot start"), QString::fromStdString(e.what()));
            return;
        }
        enqueue(configs);
    });
    connect(designer_, &SubsetDesigner::startRequested, this, &MainWindow::enqueue);
    connect(controller_, &TrainingController::message, this, [this](const QString& line) { log_->appendPlainText(line); });
    connect(controller_, &TrainingController::queueChanged, this, [this] { updateStatus(); refreshRuns(); });
    connect(controller_, &TrainingController::stepReported, this,
            [this](qint64 runId, qint64 step, qint64 total, double loss, double, double, double, double sps) {
                progressLabel_->setText(tr("run %1: step %2/%3, loss %4, %5 s/step")
                                            .arg(runId).arg(step).arg(total).arg(loss, 0, 'f', 3).arg(sps, 0, 'f', 3));
                if (plots_->runs().contains(runId)) scheduleLiveFetch();
            });
    connect(controller_, &TrainingController::validationReported, this,
            [this](qint64 runId, qint64 step, double mIoU, double mAP) {
                log_->appendPlainText(tr("run %1, step %2: mIoU %3, mAP %4").arg(runId).arg(step).arg(mIoU, 0, 'f', 4).arg(mAP, 0, 'f', 4));
                if (plots_->runs().contains(runId)) scheduleLiveFetch();
            });
    connect(controller_, &TrainingController::runFinished, this,
            [this](qint64 runId, const QString& status, const QString& message) {
                progressLabel_->setText(tr("run %1 %2").arg(runId).arg(status));
                if (!message.isEmpty()) log_->appendPlainText(message);
                refreshRuns();
                updateActions();
                scheduleLiveFetch();
            });
    connect(loader_, &RunMetricsLoader::loaded, this, [this](const QVector<LoadedSeries>& batch) {
        for (const LoadedSeries& s : batch) {
            if (!plots_->runs().contains(s.runId)) continue;
            if (s.replace) plots_->setSeries(s.runId, s.key, s.steps, s.wallTimes, s.values);
            else plots_->appendPoints(s.runId, s.key, s.steps, s.wallTimes, s.values);
        }
    });
    connect(loader_, &RunMetricsLoader::failed, this, [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    // Coalesces live updates: at most one registry read per 250 ms whatever the logging rate.
    liveTimer_->setSingleShot(true);
    liveTimer_->setInterval(250);
    connect(liveTimer_, &QTimer::timeout, this, [this] {
        QMap<qint64, QMap<QString, qint64>> known;
        for (const qint64 run : plots_->runs())
            for (const QString& key : plots_->keys())
                if (plots_->lastStep(run, key) >= 0) known[run][key] = plots_->lastStep(run, key);
        loader_->request(plots_->runs(), known);
    });
    // Runs started by `mtlw` in other processes appear, change status and plot without a restart.
    refreshTimer_->setInterval(2000);
    connect(refreshTimer_, &QTimer::timeout, this, [this] {
        refreshRuns();
        if (!plots_->runs().isEmpty()) scheduleLiveFetch();
        if (tabs_->currentWidget() == teacher_) teacher_->refresh(); // a live run's new snapshots
    });
    refreshTimer_->start();

    QSettings settings;
    restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
    fitToScreen();
    restoreState(settings.value("mainWindow/state").toByteArray());
    tabs_->setCurrentIndex(settings.value("mainWindow/tab", 0).toInt());

    refreshRuns();
    updateStatus();
    if (!configPath.isEmpty()) loadConfig(configPath);
    updateActions();
}

MainWindow::~MainWindow() {
    controller_->stopAndWait();
    // The controller outlives this object's members (it is a child): nothing it emits may reach
    // them.
    controller_->disconnect(this);
}

bool MainWindow::loadConfig(const QString& path) {
    try {
        config_ = std::make_unique<mtl::ExperimentConfig>(mtl::loadExperimentConfig(path.toStdString()));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot load experiment"), QString::fromStdString(e.what()));
        return false;
    }
    setWindowTitle(tr("%1 — MTL Workbench").arg(QString::fromStdString(config_->name)));
    experimentLabel_->setText(tr("<b>%1</b> — %2 steps, batch %3, data %4")
                                  .arg(QString::fromStdString(config_->name)).arg(config_->train.steps)
                                  .arg(config_->train.batchSize).arg(QString::fromStdString(config_->data.dataset)));
    experimentLabel_->setToolTip(path);
    openExperimentData();
    updateActions();
    return true;
}

void MainWindow::openExperimentData() {
    // Generating the default synthetic set and indexing a data set take a while: never in the GUI
    // thread.
    experimentReady_ = false;
    const mtl::ExperimentConfig config = *config_;
    // Opening another experiment before this one is indexed drops this one's data.
    experimentJob_.run(
        [config]() -> ExperimentData {
            ExperimentData d;
            try {
                const auto where = mtl::locateDataset(config.data.dataset, config.data.synthetic);
                d.datasetSpec = QString::fromStdString(where.kind + ":" + where.root);
                d.train = mtl::openDataset(where, config.data.trainSplits);
                d.val = mtl::openDataset(where, config.data.valSplit);
            } catch (const std::exception& e) {
                d.error = QString::fromStdString(e.what());
            }
            return d;
        },
        [this, config](const ExperimentData& data) {
            if (!data.error.isEmpty()) {
                // Nothing of the previous data set stays on show as if it were this one's.
                designer_->clearExperiment(data.error);
                viewer_->setDataset(nullptr);
                statusBar()->showMessage(data.error);
                log_->appendPlainText(data.error);
                return;
            }
            statusBar()->clearMessage(); // a previous config's error would hide the progress
            designer_->setExperiment(config, data.train);
            viewer_->setDataset(data.val);
            augment_->setSource(data.datasetSpec, config.augment);
            experimentReady_ = true;
            Q_EMIT experimentOpened();
        });
}

void MainWindow::startRun() {
    if (!config_) {
        QMessageBox::information(this, tr("No experiment"), tr("Open an experiment config first."));
        return;
    }
    enqueue({*config_});
}

void MainWindow::enqueue(const std::vector<mtl::ExperimentConfig>& configs) {
    if (configs.empty()) return;
    try {
        const auto ids = controller_->enqueue(configs);
        refreshRuns();
        runs_->selectRun(ids.front());
        tabs_->setCurrentWidget(plots_);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot start run"), QString::fromStdString(e.what()));
    }
    updateActions();
    updateStatus();
}

void MainWindow::fitToScreen() {
    // A geometry saved on a larger screen, or grown by a widget, must not open past this one's edges.
    const QScreen* s = screen();
    if (!s) return;
    const QRect available = s->availableGeometry();
    // The window manager's decoration; before the window is mapped (X11 tells it later) a title
    // bar's height is assumed, so that a window as high as the screen does not lose its status bar.
    QSize frame = frameGeometry().size() - geometry().size();
    if (frame.isNull()) frame = QSize(0, 32);
    const QSize fits = size().boundedTo(available.size() - frame).expandedTo(minimumSizeHint());
    if (fits != size()) resize(fits);
    QRect placed = frameGeometry();
    placed.moveLeft(std::clamp(placed.left(), available.left(), std::max(available.left(), available.right() - placed.width() + 1)));
    placed.moveTop(std::clamp(placed.top(), available.top(), std::max(available.top(), available.bottom() - placed.height() + 1)));
    if (placed.topLeft() != frameGeometry().topLeft()) move(placed.topLeft());
}

void MainWindow::stopRun() {
    controller_->stop();
    progressLabel_->setText(tr("stopping…"));
}

void MainWindow::refreshRuns() {
    try {
        const auto records = registry_->listRuns();
        runs_->setRuns(summaries_->update(records));
        followShownRuns(records);
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()));
    }
}

void MainWindow::followShownRuns(const std::vector<mtl::RunRecord>& records) {
    // The tables and the viewer are made of each run's results.json and best weights, rewritten at
    // every validation and at the end: a new write time (or a new status) makes them stale,
    // whichever process trains the run.
    QMap<qint64, QString> versions;
    for (const qint64 id : shownRuns_) {
        const auto it = std::find_if(records.begin(), records.end(), [id](const auto& r) { return r.id == id; });
        if (it == records.end()) continue;
        std::error_code ec;
        const auto written = std::filesystem::last_write_time(
            std::filesystem::path(it->runDir) / mtl::runfiles::kResults, ec);
        versions[id] = QString("%1:%2").arg(int(it->status)).arg(ec ? 0 : qint64(written.time_since_epoch().count()));
    }
    QStringList state;
    for (auto it = versions.cbegin(); it != versions.cend(); ++it) state << QString::number(it.key()) + ":" + it.value();
    const QString joined = state.join(',');
    if (joined == shownState_) return;
    shownState_ = joined;
    // The viewer predicts with each run's best (else last) checkpoint in its worker thread.
    QList<ViewerRun> viewerRuns;
    for (const qint64 id : shownRuns_) {
        if (!versions.contains(id) || viewerRuns.size() == QualitativeViewer::kMaxRuns) continue;
        ViewerRun run = viewerRunFor(id, shownNames_.value(id), registryPath_);
        run.version = versions[id];
        viewerRuns << run;
    }
    viewer_->setRuns(viewerRuns);
    QList<qint64> rankedIds; // the viewer's runs, in its order
    QMap<qint64, QString> rankedNames;
    for (const ViewerRun& run : viewerRuns) rankedIds << run.id, rankedNames.insert(run.id, run.name);
    viewer_->ranking()->setRuns(rankedRunsFor(rankedIds, rankedNames, registryPath_));
    if (tabs_->currentWidget() == tables_) updateTables();
    else tablesPending_ = true; // read when the tab is shown: a run's start stays light
}

void MainWindow::deleteRuns(const QList<qint64>& ids, bool confirm) {
    if (ids.isEmpty()) return;
    if (confirm && QMessageBox::question(this, tr("Delete runs"),
                                         tr("Delete %n run(s) and their metrics from the registry? Their folders "
                                            "stay on disk.", nullptr, int(ids.size())),
                                         QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    for (const qint64 id : ids) {
        if (id == controller_->currentRunId() && controller_->isRunning()) continue; // stop it first
        controller_->cancelQueued(id);
        registry_->removeRun(id);
    }
    refreshRuns();
}

QList<PlotSeedGroup> MainWindow::seedGroupsOf(const QList<qint64>& ids) const {
    std::vector<std::string> keys;
    std::vector<const mtl::RunSummary*> shown;
    for (const qint64 id : ids) {
        const mtl::RunSummary* s = runs_->model()->runAt(runs_->model()->rowOf(id));
        if (!s) continue;
        shown.push_back(s);
        keys.push_back(s->seedGroup);
    }
    QList<PlotSeedGroup> groups;
    for (const auto& members : mtl::groupByKey(keys)) {
        if (members.size() < 2) continue;
        PlotSeedGroup g;
        QStringList numbers;
        for (const std::size_t m : members) g.runs << shown[m]->record.id;
        QList<qint64> ascending = g.runs;
        std::sort(ascending.begin(), ascending.end());
        for (const qint64 id : ascending) numbers << QString::number(id);
        g.name = tr("%1 %2 (mean of %n seeds)", nullptr, int(members.size()))
                     .arg(numbers.join(' '), QString::fromStdString(shown[members.front()]->groupName));
        groups << g;
    }
    return groups;
}

void MainWindow::showRuns(const QList<qint64>& ids) {
    QMap<qint64, QString> names;
    qint64 firstId = 0;
    QString firstName, firstDir;
    QList<EquivarianceRun> equivarianceRuns;
    for (const qint64 id : ids) {
        const auto run = registry_->run(id);
        if (!run) continue;
        names[id] = QString("%1 %2").arg(id).arg(QString::fromStdString(run->name));
        if (firstId == 0) firstId = id, firstName = QString::fromStdString(run->name), firstDir = QString::fromStdString(run->runDir);
        equivarianceRuns << EquivarianceRun{id, QString::fromStdString(run->name), QString::fromStdString(run->runDir)};
    }
    equivariance_->setRuns(equivarianceRuns);
    plots_->setRuns(ids, names, seedGroupsOf(ids));
    loader_->request(ids, {});

    teacher_->setRun(firstId, firstName, firstDir); // the first selected run's snapshots

    // Without an experiment the viewer shows the validation images of the first run's own config.
    if (!config_ && firstId != 0 && firstId != viewerDataRun_) {
        viewerDataRun_ = firstId;
        viewerDataJob_.run(
            [id = firstId, path = registryPath_]() -> std::pair<std::shared_ptr<const mtl::Dataset>, QString> {
                try {
                    return {validationImagesOf(id, path), {}};
                } catch (const std::exception& e) {
                    return {nullptr, QString::fromStdString(e.what())};
                }
            },
            [this](const std::pair<std::shared_ptr<const mtl::Dataset>, QString>& images) {
                if (config_) return; // an experiment was opened meanwhile: its images win
                if (!images.second.isEmpty()) statusBar()->showMessage(images.second, 15000);
                viewer_->setDataset(images.first);
            });
    }

    shownRuns_ = ids;
    shownNames_ = names;
    shownState_ = QStringLiteral("unread");
    try {
        followShownRuns(registry_->listRuns());
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()));
    }
}

void MainWindow::updateTables() {
    tablesPending_ = false;
    // The tables read every run's stored config, split and results and the data set's class
    // shares: off the GUI thread.
    tablesJob_.run([ids = shownRuns_, path = registryPath_] { return tablesInputFor(ids, path); },
                   [this](TablesInput in) {
                       tables_->setConfusion(std::move(in.confusion), in.confusionNote);
                       tables_->setRuns(std::move(in.runs), std::move(in.shares), in.skipped, in.sharesNote);
                   });
}

void MainWindow::scheduleLiveFetch() {
    if (!liveTimer_->isActive()) liveTimer_->start();
}

void MainWindow::updateActions() {
    startAction_->setEnabled(config_ != nullptr);
    stopAction_->setEnabled(controller_->isRunning());
}

void MainWindow::updateStatus() {
    const int waiting = controller_->queuedCount();
    queueLabel_->setText(controller_->isRunning() ? tr("running run %1, %2 queued").arg(controller_->currentRunId()).arg(waiting)
                                                  : tr("%1 queued").arg(waiting));
}

void MainWindow::closeWithoutQuestion() {
    closingWithoutQuestion_ = true;
    close();
    closingWithoutQuestion_ = false;
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // Once mapped the window manager's frame is known: fit again with it.
    if (!shownBefore_) {
        QTimer::singleShot(0, this, &MainWindow::fitToScreen);
        QTimer::singleShot(500, this, &MainWindow::fitToScreen); // X11 reports the frame after mapping
    }
    shownBefore_ = true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The run finishes its current step, saves its checkpoint and is recorded as interrupted.
    if (controller_->isRunning() && !closingWithoutQuestion_) {
        const int queued = controller_->queuedCount();
        QMessageBox ask(QMessageBox::Question, tr("A run is training"),
                        tr("Run %1 is training. Quitting stops it: it saves a checkpoint, is marked interrupted "
                           "and can be resumed from the runs table.").arg(controller_->currentRunId()) +
                            (queued > 0 ? tr(" %n queued run(s) will not start.", nullptr, queued) : QString()),
                        QMessageBox::NoButton, this);
        QPushButton* quit = ask.addButton(tr("Stop and quit"), QMessageBox::AcceptRole);
        ask.setDefaultButton(ask.addButton(QMessageBox::Cancel));
        ask.exec();
        if (ask.clickedButton() != quit) {
            event->ignore();
            return;
        }
        statusBar()->showMessage(tr("Stopping the run…"));
        controller_->stopAndWait();
    }
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    settings.setValue("mainWindow/tab", tabs_->currentIndex());
    event->accept();
}
