// The GUI's responsiveness, offscreen (QT_QPA_PLATFORM=offscreen is set when no platform is given):
//   1. event-loop latency while a real TrainingRun (the quick-start experiment) starts and trains
//      in the main window with one tab open (--tab: plots, whose curves update live, or teacher,
//      following the run's teacher snapshots, taken every 10 steps here): a 5 ms timer, started
//      before the run, records how late each tick fires; the 5 latest ticks are listed with when
//      they came (seconds after the start) and the last run event before them;
//   2. a plot redraw (smoothing, decimation, replot) with 300k points in each of 3 series;
//   3. a qualitative-viewer re-render of a 2048×1024 image with a mask and 100 boxes, for the
//      ground truth and two runs.
// Prints figures and one JSON line. Usage: bench_gui [--seconds S] [--tab plots|teacher] [--plots-only] [CONFIG]
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"
#include "widgets/MainWindow.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/OverlayRenderer.h"
#include "widgets/TeacherInspector.h"
#include "widgets/TrainingController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <qcustomplot.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>

namespace {
double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

struct Stall {
    double at = 0, late = 0; // seconds after the start, ms
    QString after;           // the last run event before it
};

struct Latency {
    double p50 = 0, p99 = 0, max = 0;
    int ticks = 0, steps = 0, snapshotsShown = 0;
    double closeMs = 0; // closing the window while the run trains
    std::vector<Stall> worst; // latest first
};

Latency eventLoopLatency(const QString& configPath, double seconds, const QString& tab) {
    QTemporaryDir dir;
    mtl::ExperimentConfig config = mtl::loadExperimentConfig(configPath.toStdString());
    config.train.steps = 1000000; // stopped by the benchmark
    config.train.logEvery = 5;
    config.eval.every = 0;
    config.diagnostics.every = 10;
    const QString path = dir.filePath("bench.yaml");
    std::ofstream(path.toStdString()) << mtl::toYaml(config);
    MainWindow window(dir.filePath("registry.sqlite"), path);
    window.resize(1280, 820);
    window.show();
    QElapsedTimer started;
    started.start();
    while (!window.experimentReady() && started.elapsed() < 120000) QApplication::processEvents(QEventLoop::AllEvents, 50);
    Latency result;
    QElapsedTimer clock;
    clock.start();
    QString lastEvent = "start";
    auto note = [&](const QString& what) { lastEvent = QString("%1 at %2 s").arg(what).arg(double(clock.elapsed()) / 1000, 0, 'f', 2); };
    QObject::connect(window.controller(), &TrainingController::stepReported, [&](qint64, qint64 step) {
        result.steps = int(step);
        note(QString("step %1 reported").arg(step));
    });
    QObject::connect(window.controller(), &TrainingController::message, [&](const QString&) { note("run message"); });
    QObject::connect(window.teacher(), &TeacherInspector::snapshotShown, [&] {
        ++result.snapshotsShown;
        note(QString("snapshot of step %1 shown").arg(window.teacher()->shownStep()));
    });
    // The latency of a tick: how much later than its 5 ms period it fires.
    std::vector<double> late;
    std::vector<Stall> stalls;
    qint64 previous = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.push_back(std::max(0.0, double(now - previous) / 1e6 - 5.0));
        if (late.back() > 10) stalls.push_back({double(now) / 1e9, late.back(), lastEvent});
        previous = now;
    });
    tick.start();
    QTimer::singleShot(0, [&] {
        window.startRun(); // the run's start is measured too
        window.tabs()->setCurrentWidget(tab == "teacher" ? static_cast<QWidget*>(window.teacher())
                                                         : static_cast<QWidget*>(window.plots()));
    });
    // The measurement ends before the window closes: closing it stops the run, which waits for
    // the current step on purpose (measured apart: quit() closes the window in Qt 6).
    QElapsedTimer closing;
    QTimer::singleShot(int(seconds * 1000), [&] {
        tick.stop();
        closing.start();
        QApplication::quit();
    });
    QApplication::exec();
    window.close();
    window.controller()->stopAndWait();
    result.closeMs = double(closing.nsecsElapsed()) / 1e6;
    result.p50 = percentile(late, 0.5);
    result.p99 = percentile(late, 0.99);
    result.max = late.empty() ? 0 : *std::max_element(late.begin(), late.end());
    result.ticks = int(late.size());
    std::sort(stalls.begin(), stalls.end(), [](const Stall& a, const Stall& b) { return a.late > b.late; });
    stalls.resize(std::min<std::size_t>(stalls.size(), 5));
    result.worst = stalls;
    return result;
}

// `series` curves of `points` each, redrawn with smoothing on: keys of one run, or (seedGroup) one
// key of `series` runs drawn as one seed group's mean and ± std band. A plain redraw (a zoom, a pan,
// a resize) decimates the kept full-resolution points; with `recompute` each redraw follows a
// change of the smoothing, which smooths and bands every series again (as new points do).
double plotRedrawMs(int points, int series, bool seedGroup, bool recompute = false) {
    MetricPlotWidget plot;
    plot.resize(1200, 700);
    plot.show();
    QList<qint64> runs{1};
    QMap<qint64, QString> names{{1, "bench"}};
    QList<PlotSeedGroup> groups;
    if (seedGroup) {
        for (qint64 r = 2; r <= series; ++r) runs << r, names[r] = QString("bench %1").arg(r);
        groups << PlotSeedGroup{runs, "bench seeds"};
    }
    plot.setRuns(runs, names, groups);
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 0.05);
    for (int s = 0; s < series; ++s) {
        QVector<double> steps(points), walls(points), values(points);
        for (int i = 0; i < points; ++i) {
            steps[i] = i + 1;
            walls[i] = 1.7e9 + i * 0.2;
            values[i] = (seedGroup ? 2.0 : (s + 1) * 2.0) / (1 + i * 1e-4) + noise(rng);
        }
        const QString key = seedGroup ? QString("train/loss") : QString("train/loss%1").arg(s);
        plot.setSeries(seedGroup ? runs[s] : 1, key, steps, walls, values);
        plot.setKeyChecked(key, true);
    }
    plot.setSmoothing(0.6);
    plot.redrawNow(); // first draw builds the graphs
    std::vector<double> ms;
    for (int i = 0; i < 30; ++i) {
        if (recompute) plot.setSmoothing(i % 2 ? 0.6 : 0.61);
        QElapsedTimer t;
        t.start();
        plot.redrawNow();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return median(ms);
}

double viewerRenderMs(int runs) {
    QImage image(2048, 1024, QImage::Format_RGB888);
    std::mt19937 rng(2);
    for (int y = 0; y < image.height(); ++y) {
        uchar* px = image.scanLine(y);
        for (int x = 0; x < 3 * image.width(); ++x) px[x] = uchar(rng());
    }
    // Label regions as a network predicts them: blocks of classes, some ignore.
    cv::Mat labels(1024, 2048, CV_8UC1);
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x) labels.at<uchar>(y, x) = uchar(((x / 64 + y / 48) % 20) == 19 ? 255 : (x / 64 + y / 48) % 19);
    std::vector<mtl::Detection> boxes;
    std::uniform_real_distribution<float> at(0, 1900), size(10, 140), score(0, 1);
    for (int i = 0; i < 100; ++i) {
        const float x = at(rng), y = at(rng) / 2, w = size(rng), h = size(rng);
        boxes.push_back({{x, y, x + w, y + h, i % 8}, score(rng)});
    }
    OverlayInput in;
    in.image = &image;
    in.labels = &labels;
    in.truthLabels = &labels;
    in.detections = &boxes;
    in.detClassNames = {"person", "rider", "car", "truck", "bus", "train", "motorcycle", "bicycle"};
    OverlayOptions options;
    std::vector<double> ms;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer t;
        t.start();
        renderOverlays(std::vector<OverlayJob>(std::size_t(runs), OverlayJob{in, options})); // as the viewer does
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return median(ms);
}
} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    mtl::tuneMallocForTraining();
    QApplication app(argc, argv);
    QString config = MTLW_SOURCE_DIR "/experiments/quickstart.yaml";
    double seconds = 30;
    QString tab = "teacher";
    bool plotsOnly = false; // the plot redraws alone, without the training run
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::stod(argv[++i]);
        else if (!std::strcmp(argv[i], "--tab") && i + 1 < argc) tab = argv[++i];
        else if (!std::strcmp(argv[i], "--plots-only")) plotsOnly = true;
        else config = argv[i];
    }
    if (tab != "plots" && tab != "teacher") {
        std::cerr << "bench_gui: --tab is plots or teacher, got '" << tab.toStdString() << "'\n";
        return 2;
    }
    const double plot300k = plotRedrawMs(300000, 3, false);
    const double plot300kNew = plotRedrawMs(300000, 3, false, true);
    const double band300k = plotRedrawMs(300000, 5, true);
    const double band300kNew = plotRedrawMs(300000, 5, true, true);
    std::cout << "plot redraw, 3 series × 300k points, smoothing on: " << plot300k << " ms; after a change of "
              << "smoothing: " << plot300kNew << " ms (medians of 30)\n"
              << "plot redraw, a 5-seed group × 300k points as mean and ± std band, smoothing on: " << band300k
              << " ms; after a change of smoothing: " << band300kNew << " ms (medians of 30)\n";
    if (plotsOnly) {
        std::cout << "{\"bench\":\"gui_plots\",\"plot_redraw_ms_3x300k\":" << plot300k
                  << ",\"plot_recompute_ms_3x300k\":" << plot300kNew << ",\"plot_band_redraw_ms_5x300k\":" << band300k
                  << ",\"plot_band_recompute_ms_5x300k\":" << band300kNew << "}\n";
        return 0;
    }
    const double render1 = viewerRenderMs(1);
    const double render3 = viewerRenderMs(3);
    const Latency latency = eventLoopLatency(config, seconds, tab);
    std::cout << "event loop while training with the " << tab.toStdString() << " tab open (" << seconds << " s, "
              << latency.steps << " steps, " << latency.snapshotsShown << " teacher snapshots shown, " << latency.ticks
              << " ticks of 5 ms): lateness p50 " << latency.p50 << " ms, p99 " << latency.p99 << " ms, max "
              << latency.max << " ms\n";
    for (const Stall& s : latency.worst)
        std::cout << "  " << s.late << " ms late at " << s.at << " s, after " << s.after.toStdString() << "\n";
    std::cout << "closing the window while the run trains: " << latency.closeMs
              << " ms (the run finishes its step and saves its checkpoint)\n";
    std::cout << "viewer overlay 2048×1024, mask + 100 boxes: " << render1 << " ms one pane, " << render3
              << " ms ground truth + 2 runs (median of 20)\n";
    std::cout << "{\"bench\":\"gui\",\"device\":\"" << mtl::resolveDevice("auto") << "\",\"train_seconds\":" << seconds
              << ",\"tab\":\"" << tab.toStdString() << "\",\"train_steps\":" << latency.steps
              << ",\"teacher_snapshots_shown\":" << latency.snapshotsShown << ",\"event_loop_late_ms_p50\":" << latency.p50
              << ",\"event_loop_late_ms_p99\":" << latency.p99 << ",\"event_loop_late_ms_max\":" << latency.max << ",\"close_while_training_ms\":" << latency.closeMs
              << ",\"plot_redraw_ms_3x300k\":" << plot300k << ",\"plot_recompute_ms_3x300k\":" << plot300kNew
              << ",\"plot_band_redraw_ms_5x300k\":" << band300k << ",\"plot_band_recompute_ms_5x300k\":" << band300kNew
              << ",\"viewer_render_ms_2048x1024\":" << render1
              << ",\"viewer_render_ms_3_panes\":" << render3 << "}\n";
    return 0;
}
