// The GUI's responsiveness, offscreen (QT_QPA_PLATFORM=offscreen is set when no platform is given):
//   1. event-loop latency while a real TrainingRun (the quick-start experiment) trains and its
//      curves update live in the main window: a 5 ms timer records how late each tick fires;
//   2. a plot redraw (smoothing, decimation, replot) with 300k points in each of 3 series;
//   3. a qualitative-viewer re-render of a 2048×1024 image with a mask and 100 boxes, for the
//      ground truth and two runs.
// Prints figures and one JSON line. Usage: bench_gui [--seconds S] [CONFIG]
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"
#include "widgets/MainWindow.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/OverlayRenderer.h"
#include "widgets/TrainingController.h"

#include <QApplication>
#include <QElapsedTimer>
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

struct Latency {
    double p50 = 0, p99 = 0, max = 0;
    int ticks = 0, steps = 0;
};

Latency eventLoopLatency(const QString& configPath, double seconds) {
    QTemporaryDir dir;
    mtl::ExperimentConfig config = mtl::loadExperimentConfig(configPath.toStdString());
    config.train.steps = 1000000; // stopped by the benchmark
    config.train.logEvery = 5;
    config.eval.every = 0;
    const QString path = dir.filePath("bench.yaml");
    std::ofstream(path.toStdString()) << mtl::toYaml(config);
    MainWindow window(dir.filePath("registry.sqlite"), path);
    window.resize(1280, 820);
    window.show();
    QElapsedTimer started;
    started.start();
    while (!window.experimentReady() && started.elapsed() < 120000) QApplication::processEvents(QEventLoop::AllEvents, 50);
    window.startRun();
    Latency result;
    QObject::connect(window.controller(), &TrainingController::stepReported, [&](qint64, qint64 step) { result.steps = int(step); });
    // The latency of a tick: how much later than its 5 ms period it fires.
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 previous = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.push_back(std::max(0.0, double(now - previous) / 1e6 - 5.0));
        previous = now;
    });
    tick.start();
    QTimer::singleShot(int(seconds * 1000), [&] { QApplication::quit(); });
    QApplication::exec();
    tick.stop();
    window.controller()->stopAndWait();
    result.p50 = percentile(late, 0.5);
    result.p99 = percentile(late, 0.99);
    result.max = late.empty() ? 0 : *std::max_element(late.begin(), late.end());
    result.ticks = int(late.size());
    return result;
}

double plotRedrawMs(int points, int series) {
    MetricPlotWidget plot;
    plot.resize(1200, 700);
    plot.show();
    plot.setRuns({1}, {{1, "bench"}});
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 0.05);
    for (int s = 0; s < series; ++s) {
        QVector<double> steps(points), walls(points), values(points);
        for (int i = 0; i < points; ++i) {
            steps[i] = i + 1;
            walls[i] = 1.7e9 + i * 0.2;
            values[i] = (s + 1) * 2.0 / (1 + i * 1e-4) + noise(rng);
        }
        const QString key = QString("train/loss%1").arg(s);
        plot.setSeries(1, key, steps, walls, values);
        plot.setKeyChecked(key, true);
    }
    plot.setSmoothing(0.6);
    plot.redrawNow(); // first draw builds the graphs
    std::vector<double> ms;
    for (int i = 0; i < 30; ++i) {
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
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::stod(argv[++i]);
        else config = argv[i];
    }
    const double plot300k = plotRedrawMs(300000, 3);
    const double render1 = viewerRenderMs(1);
    const double render3 = viewerRenderMs(3);
    const Latency latency = eventLoopLatency(config, seconds);
    std::cout << "event loop while training (" << seconds << " s, " << latency.steps << " steps, " << latency.ticks
              << " ticks of 5 ms): lateness p50 " << latency.p50 << " ms, p99 " << latency.p99 << " ms, max "
              << latency.max << " ms\n"
              << "plot redraw, 3 series × 300k points, smoothing on: " << plot300k << " ms (median of 30)\n"
              << "viewer overlay 2048×1024, mask + 100 boxes: " << render1 << " ms one pane, " << render3
              << " ms ground truth + 2 runs (median of 20)\n";
    std::cout << "{\"bench\":\"gui\",\"device\":\"" << mtl::resolveDevice("auto") << "\",\"train_seconds\":" << seconds
              << ",\"train_steps\":" << latency.steps << ",\"event_loop_late_ms_p50\":" << latency.p50
              << ",\"event_loop_late_ms_p99\":" << latency.p99 << ",\"event_loop_late_ms_max\":" << latency.max
              << ",\"plot_redraw_ms_3x300k\":" << plot300k << ",\"viewer_render_ms_2048x1024\":" << render1
              << ",\"viewer_render_ms_3_panes\":" << render3 << "}\n";
    return 0;
}
