#include "widgets/MainWindow.h"

#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "widgets/LossPlotWidget.h"
#include "widgets/RunListWidget.h"
#include "widgets/SampleViewer.h"
#include "widgets/TrainingController.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QtConcurrent/QtConcurrentRun>

namespace {
const QStringList kPlottedKeys = {"train/loss", "train/seg_loss", "train/det_loss"};
}

MainWindow::MainWindow(const QString& registryPath, const QString& configPath, QWidget* parent)
    : QMainWindow(parent), registry_(std::make_unique<mtl::Registry>(registryPath.toStdString())),
      controller_(new TrainingController(registryPath, this)), runList_(new RunListWidget(this)),
      plot_(new LossPlotWidget(this)), viewer_(new SampleViewer(this)),
      experimentLabel_(new QLabel(this)), progressLabel_(new QLabel(this)), refreshTimer_(new QTimer(this)) {
    setWindowTitle(tr("MTL Workbench"));
    resize(1200, 760);

    auto* toolbar = addToolBar(tr("Experiment"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction* open = toolbar->addAction(tr("Open experiment…"));
    startAction_ = toolbar->addAction(tr("▶ Start"));
    stopAction_ = toolbar->addAction(tr("■ Stop"));
    toolbar->addSeparator();
    toolbar->addWidget(experimentLabel_);
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), {}, tr("Experiments (*.yaml *.yml)"));
        if (!path.isEmpty()) loadConfig(path);
    });
    connect(startAction_, &QAction::triggered, this, &MainWindow::startRun);
    connect(stopAction_, &QAction::triggered, this, &MainWindow::stopRun);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(plot_);
    right->addWidget(viewer_);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(runList_);
    main->addWidget(right);
    main->setStretchFactor(1, 1);
    main->setSizes({360, 840});
    setCentralWidget(main);
    statusBar()->addPermanentWidget(progressLabel_);

    connect(runList_, &RunListWidget::runSelected, this, &MainWindow::showRun);
    connect(controller_, &TrainingController::message, this, [this](const QString& line) {
        statusBar()->showMessage(line, 10000);
    });
    connect(controller_, &TrainingController::stepReported, this,
            [this](qint64 runId, qint64 step, qint64 total, double loss, double seg, double det, double, double sps) {
                progressLabel_->setText(tr("run %1: step %2/%3, loss %4, %5 s/step")
                                            .arg(runId).arg(step).arg(total).arg(loss, 0, 'f', 3).arg(sps, 0, 'f', 3));
                if (runId != shownRunId_) return;
                plot_->appendPoint("train/loss", double(step), loss);
                plot_->appendPoint("train/seg_loss", double(step), seg);
                plot_->appendPoint("train/det_loss", double(step), det);
            });
    connect(controller_, &TrainingController::validationReported, this,
            [this](qint64 runId, qint64 step, double mIoU, double mAP) {
                statusBar()->showMessage(tr("run %1, step %2: mIoU %3, mAP %4")
                                             .arg(runId).arg(step).arg(mIoU, 0, 'f', 4).arg(mAP, 0, 'f', 4));
            });
    connect(controller_, &TrainingController::runFinished, this,
            [this](qint64 runId, const QString& status, const QString& message) {
                progressLabel_->setText(tr("run %1 %2").arg(runId).arg(status));
                if (!message.isEmpty()) statusBar()->showMessage(message);
                refreshRuns();
                updateActions();
            });
    // Runs started by `mtlw` in other processes appear (and change status) without a restart.
    refreshTimer_->setInterval(2000);
    connect(refreshTimer_, &QTimer::timeout, this, &MainWindow::refreshRuns);
    refreshTimer_->start();

    refreshRuns();
    if (!configPath.isEmpty()) loadConfig(configPath);
    updateActions();
}

MainWindow::~MainWindow() { controller_->stopAndWait(); }

bool MainWindow::loadConfig(const QString& path) {
    try {
        config_ = std::make_unique<mtl::ExperimentConfig>(mtl::loadExperimentConfig(path.toStdString()));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot load experiment"), QString::fromStdString(e.what()));
        return false;
    }
    experimentLabel_->setText(tr("Experiment: <b>%1</b> (%2) — %3 steps, batch %4, data %5")
                                  .arg(QString::fromStdString(config_->name), path)
                                  .arg(config_->train.steps).arg(config_->train.batchSize)
                                  .arg(QString::fromStdString(config_->data.dataset)));
    locateViewerData();
    updateActions();
    return true;
}

void MainWindow::locateViewerData() {
    // Generating the default synthetic set takes a moment: never in the GUI thread.
    const mtl::SynthOptions synth = config_->data.synthetic;
    const std::string spec = config_->data.dataset;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        const QString result = watcher->result();
        watcher->deleteLater();
        if (result.startsWith("error:")) statusBar()->showMessage(result.mid(6));
        else viewer_->setDataset(result, "val");
    });
    watcher->setFuture(QtConcurrent::run([spec, synth]() -> QString {
        try {
            return QString::fromStdString(mtl::locateDataset(spec, synth).root);
        } catch (const std::exception& e) {
            return "error:" + QString::fromStdString(e.what());
        }
    }));
}

void MainWindow::startRun() {
    if (!config_) {
        QMessageBox::information(this, tr("No experiment"), tr("Open an experiment config first."));
        return;
    }
    try {
        const qint64 id = controller_->start(*config_);
        refreshRuns();
        runList_->selectRun(id);
        showRun(id);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot start run"), QString::fromStdString(e.what()));
    }
    updateActions();
}

void MainWindow::stopRun() {
    controller_->stop();
    progressLabel_->setText(tr("stopping…"));
}

void MainWindow::refreshRuns() {
    try {
        runList_->setRuns(registry_->listRuns());
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromStdString(e.what()));
    }
}

void MainWindow::showRun(qint64 runId) {
    shownRunId_ = runId;
    const auto run = registry_->run(runId);
    // The status lives in the run list, which refreshes; the title names the run only.
    plot_->clear(run ? tr("Run %1: %2").arg(runId).arg(QString::fromStdString(run->name)) : QString());
    for (const QString& key : kPlottedKeys) {
        QVector<double> steps, values;
        for (const auto& p : registry_->series(runId, key.toStdString())) {
            steps.push_back(double(p.step));
            values.push_back(p.value);
        }
        if (!steps.isEmpty()) plot_->setSeries(key, steps, values);
    }
}

void MainWindow::updateActions() {
    const bool running = controller_->isRunning();
    startAction_->setEnabled(config_ && !running);
    stopAction_->setEnabled(running);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The run finishes its current step, saves its checkpoint and is recorded as interrupted.
    if (controller_->isRunning()) {
        statusBar()->showMessage(tr("Stopping the run…"));
        controller_->stopAndWait();
    }
    event->accept();
}
