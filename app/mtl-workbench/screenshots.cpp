// mtl-workbench-screenshots OUTDIR [--palette light|dark] [--steps N] [--registry FILE] [--teacher]: drives the
// GUI through every part with real data and saves a screenshot of the X screen for each
// (scripts/screenshots.sh runs it under Xvfb). Trains two short quick-start runs into a temporary
// registry first — or works on a copy of FILE (e.g. the synthetic replication's registry), showing
// its runs 1 and 2 or those of --runs — so the runs table, plots, viewer and tables show real runs.
// --teacher: only the Teacher tab, following a live Dense FixMatch run it starts; --equivariance:
// the Equivariance tab of the shown runs and the first one's Teacher tab; --seeds: the shown runs'
// seed groups as bands in the Plots tab, then the runs of --image-runs ranked worst first in the
// viewer and the first one's confusion matrix. Not installed.
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/train/TrainingRun.h"
#include "widgets/AugmentPreviewWidget.h"
#include "widgets/EquivarianceView.h"
#include "widgets/ImageRankingPanel.h"
#include "widgets/MainWindow.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/Palettes.h"
#include "widgets/QualitativeViewer.h"
#include "widgets/RunsPanel.h"
#include "widgets/SubsetCanvas.h"
#include "widgets/SubsetDesigner.h"
#include "widgets/TablesWidget.h"
#include "widgets/TeacherInspector.h"
#include "widgets/TrainingController.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QMouseEvent>
#include <QScreen>
#include <QFile>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <fstream>
#include <iostream>

namespace {
void waitFor(const std::function<bool()>& done, int ms) {
    QElapsedTimer t;
    t.start();
    // Sleeps between rounds: a busy GUI thread would starve a run training at a lower priority.
    while (!done() && t.elapsed() < ms) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(20);
    }
}

void settle(int ms = 400) { waitFor([] { return false; }, ms); }

void shoot(const QString& dir, const QString& name) {
    settle();
    const QPixmap screen = QGuiApplication::primaryScreen()->grabWindow(0);
    screen.save(QDir(dir).filePath(name + ".png"));
    std::cout << "wrote " << QDir(dir).filePath(name + ".png").toStdString() << "\n";
}

// Two short runs of the quick-start experiment with different label splits.
void trainRuns(const QString& registry, int steps) {
    mtl::ExperimentConfig c = mtl::loadExperimentConfig(MTLW_SOURCE_DIR "/experiments/quickstart.yaml");
    c.train.steps = steps;
    c.train.logEvery = 5;
    c.train.checkpointEvery = steps;
    c.eval.every = steps / 3;
    c.eval.maxImages = 16;
    const std::pair<const char*, const char*> splits[] = {{"d", "1/2"}, {"c", "1/4"}};
    for (const auto& [setting, det] : splits) {
        c.name = std::string("quickstart-") + setting;
        c.data.split.setting = mtl::parseName<mtl::SplitSetting>(setting);
        c.data.split.det = det;
        c.data.split.seg = std::string(setting) == "c" ? det : "1/8";
        mtl::TrainingRun run(c, registry.toStdString());
        run.start(nullptr);
        std::cout << "run " << run.id() << " " << mtl::toString(run.wait()) << "\n";
    }
}
// The Teacher tab following a live Dense FixMatch run of the synthetic replication (setting (b),
// 1/16 labeled), snapshots every 25 steps; the run is stopped after the shots.
int shootTeacher(const QString& out, const QString& registry, int steps) {
    mtl::ExperimentConfig c = mtl::loadExperimentConfig(MTLW_SOURCE_DIR "/experiments/synthetic/synthetic-b-densefixmatch.yaml",
                                                        {"data.split.det=\"1/16\"", "data.split.seg=\"1/16\"",
                                                         "diagnostics.every=25", "eval.every=0"});
    c.name = "synthetic-b1of16-densefixmatch-live";
    c.train.steps = steps;
    MainWindow window(registry, QString());
    window.setGeometry(QGuiApplication::primaryScreen()->availableGeometry());
    window.show();
    const qint64 id = window.controller()->enqueue({c}).front();
    window.refreshRuns();
    window.runsPanel()->selectRuns({id});
    window.tabs()->setCurrentWidget(window.teacher());
    TeacherInspector* teacher = window.teacher();
    waitFor([&] { return teacher->snapshotCount() >= 4 && teacher->shownStep() >= 100; }, 1800000);
    settle(2500); // the refresh timer has followed the newest snapshot
    shoot(out, "teacher");
    teacher->exportPanel(QDir(out).filePath("teacher-panel.png"));
    std::cout << "wrote " << QDir(out).filePath("teacher-panel.png").toStdString() << " (step " << teacher->shownStep() << ")\n";
    window.controller()->stopAndWait();
    return 0;
}
// Seed groups drawn as bands; a viewer ranked worst first; the confusion heat map.
void shootSeeds(MainWindow& window, const QString& out, const QList<qint64>& imageRuns) {
    window.tabs()->setCurrentWidget(window.plots());
    for (const QString& key : window.plots()->keys()) window.plots()->setKeyChecked(key, key == "val/mIoU");
    window.plots()->setSeedView(MetricPlotWidget::SeedView::MeanStd);
    shoot(out, "plots-seed-band");
    window.runsPanel()->collapseSeeds()->setChecked(true);
    shoot(out, "runs-seed-groups");
    window.runsPanel()->collapseSeeds()->setChecked(false);

    window.runsPanel()->selectRuns(imageRuns);
    settle(1500);
    window.tabs()->setCurrentWidget(window.viewer());
    QComboBox* order = window.viewer()->ranking()->orderChoice();
    order->setCurrentIndex(order->findText("Worst first", Qt::MatchStartsWith));
    waitFor([&] { return !window.viewer()->predictionsPending(); }, 60000);
    settle(1000);
    shoot(out, "viewer-worst-first");

    window.tabs()->setCurrentWidget(window.tables());
    window.tables()->setKind(TablesWidget::Kind::Confusion);
    waitFor([&] { return window.tables()->view()->rowCount() > 0; }, 60000);
    shoot(out, "confusion");
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("mtl-workbench-screenshots");
    QApplication::setOrganizationName("mtl-workbench-screenshots");
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::cerr << "usage: mtl-workbench-screenshots OUTDIR [--palette light|dark] [--steps N] [--registry FILE] [--runs 1,3]\n";
        return 2;
    }
    const QString out = args[1];
    QDir().mkpath(out);
    const int paletteAt = int(args.indexOf("--palette"));
    const QString palette = paletteAt > 0 && paletteAt + 1 < args.size() ? args[paletteAt + 1] : "light";
    applyPalette(palette);
    const int stepsAt = int(args.indexOf("--steps"));
    const int steps = stepsAt > 0 && stepsAt + 1 < args.size() ? args[stepsAt + 1].toInt() : 150;
    const QString suffix = palette == "dark" ? "-dark" : "";

    QTemporaryDir dir;
    const QString registry = dir.filePath("registry.sqlite");
    if (args.contains("--teacher")) return shootTeacher(out, registry, stepsAt > 0 ? steps : 1500);
    const int registryAt = int(args.indexOf("--registry"));
    if (registryAt > 0 && registryAt + 1 < args.size()) {
        if (!QFile::copy(args[registryAt + 1], registry)) {
            std::cerr << "cannot copy " << args[registryAt + 1].toStdString() << "\n";
            return 2;
        }
    } else {
        trainRuns(registry, steps);
    }

    // --seeds opens no experiment: the viewer then shows the first selected run's own validation
    // images, the ones its per-image results score.
    const bool seeds = args.contains("--seeds");
    MainWindow window(registry, seeds ? QString() : QString(MTLW_SOURCE_DIR "/experiments/quickstart.yaml"));
    window.setGeometry(QGuiApplication::primaryScreen()->availableGeometry());
    window.show();
    if (!seeds) waitFor([&] { return window.experimentReady(); }, 120000);
    window.refreshRuns();
    QList<qint64> shown{1, 2};
    if (const int runsAt = int(args.indexOf("--runs")); runsAt > 0 && runsAt + 1 < args.size()) {
        shown.clear();
        for (const QString& id : args[runsAt + 1].split(',')) shown << id.toLongLong();
    }
    window.runsPanel()->selectRuns(shown);
    settle(1500);
    if (seeds) {
        QList<qint64> imageRuns;
        if (const int at = int(args.indexOf("--image-runs")); at > 0 && at + 1 < args.size())
            for (const QString& id : args[at + 1].split(',')) imageRuns << id.toLongLong();
        shootSeeds(window, out, imageRuns);
        return 0;
    }
    if (args.contains("--equivariance")) { // the Equivariance tab of the shown runs, the first one's teacher
        window.tabs()->setCurrentWidget(window.equivariance());
        shoot(out, "equivariance");
        window.tabs()->setCurrentWidget(window.teacher());
        waitFor([&] { return window.teacher()->shownStep() >= 0; }, 60000);
        shoot(out, "teacher-finished");
        window.teacher()->exportPanel(QDir(out).filePath("teacher-finished-panel.png"));
        return 0;
    }

    window.tabs()->setCurrentWidget(window.plots());
    window.plots()->setKeyChecked("val/mIoU", false);
    window.plots()->setSmoothing(0.6);
    shoot(out, "plots" + suffix);
    if (!suffix.isEmpty()) return 0; // the dark set shows the palette on one part

    window.plots()->setKeyChecked("train/loss", false);
    window.plots()->setKeyChecked("train/seg_loss", false);
    window.plots()->setKeyChecked("train/det_loss", false);
    window.plots()->setKeyChecked("val/mIoU", true);
    window.plots()->setKeyChecked("val/mAP", true);
    window.plots()->setSmoothing(0);
    shoot(out, "plots-validation");

    window.tabs()->setCurrentWidget(window.designer());
    window.designer()->applyPreset(15); // (d) det 1/8 · seg 1/32
    settle();
    shoot(out, "designer");
    // Hover over the detection-only part: its thumbnails appear.
    SubsetCanvas* canvas = window.designer()->canvas();
    const QPointF at(canvas->detRect().left() + 6, canvas->detRect().top() + 6);
    QMouseEvent move(QEvent::MouseMove, at, canvas->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
    settle(2000);
    shoot(out, "designer-hover");

    // The designer's grid queued at once: the first run trains, the others wait their turn (the
    // status bar and the runs table say so); then the queue is stopped, all of it interrupted.
    window.designer()->findChild<QLineEdit*>("seeds")->setText("0, 1, 2");
    Q_EMIT window.designer()->startRequested(window.designer()->plannedRuns());
    const qint64 first = window.controller()->currentRunId();
    waitFor([&] { return window.plots()->pointCount(first, "train/loss") >= 2; }, 120000);
    shoot(out, "queue");
    window.controller()->stopAndWait();
    window.refreshRuns();
    window.runsPanel()->selectRuns(shown);
    settle(1000);

    window.tabs()->setCurrentWidget(window.viewer());
    waitFor([&] { return !window.viewer()->predictionsPending(); }, 60000);
    settle(1000);
    shoot(out, "viewer");
    window.viewer()->setErrorView(true);
    shoot(out, "viewer-errors");
    window.viewer()->setErrorView(false);

    window.tabs()->setCurrentWidget(window.tables());
    window.tables()->setKind(TablesWidget::Kind::SegmentationClasses);
    waitFor([&] { return window.tables()->view()->rowCount() > 0; }, 60000);
    shoot(out, "tables");

    window.tabs()->setCurrentWidget(window.augmentPreview());
    waitFor([&] { return !window.augmentPreview()->isRendering(); }, 60000);
    shoot(out, "augmentation");

    QTimer::singleShot(800, [&] {
        shoot(out, "about");
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(w)) box->accept();
    });
    window.showAbout();
    return 0;
}
