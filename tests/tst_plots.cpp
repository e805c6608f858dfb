// Live plots: debiased EMA smoothing, min/max decimation per pixel column (exact points kept),
// the plot widget's series, key groups, decimated drawing of 300k points, and exports.
#include "core/common/SeriesTransforms.h"
#include "widgets/MetricPlotWidget.h"

#include <qcustomplot.h>

#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <cmath>

class TestPlots : public QObject {
    Q_OBJECT

    static QVector<double> xs(const mtl::XYSeries& s) { return QVector<double>(s.x.begin(), s.x.end()); }

private Q_SLOTS:
    void emaIsDebiased() {
        const auto s = mtl::smoothEma({1, 2, 3}, 0.5);
        // m = 0.5, 1.25, 2.125; debias = 0.5, 0.75, 0.875.
        QCOMPARE(s[0], 1.0);
        QCOMPARE(s[1], 1.25 / 0.75);
        QCOMPARE(s[2], 2.125 / 0.875);
        QCOMPARE(mtl::smoothEma({4, 5, 6}, 0.0), std::vector<double>({4, 5, 6}));
        const auto withNan = mtl::smoothEma({1, NAN, 3}, 0.5);
        QVERIFY(std::isnan(withNan[1]));
        QCOMPARE(withNan[2], (0.25 + 1.5) / 0.75); // the NaN does not enter the average
    }

    void decimationKeepsFirstMinMaxLastPerColumn() {
        mtl::XYSeries s;
        for (int i = 0; i < 100; ++i) {
            s.x.push_back(i);
            s.y.push_back(i == 37 ? 100 : i == 52 ? -5 : 0);
        }
        // 5 columns of 20 steps each.
        QCOMPARE(xs(mtl::decimateMinMax(s, 0, 100, 5)),
                 QVector<double>({0, 19, 20, 37, 39, 40, 52, 59, 60, 79, 80, 99}));
        // Zoomed to [20, 60]: columns of 8 steps (the last one holds 52..60: min at 52, first max 53),
        // plus the nearest point outside on each side.
        QCOMPARE(xs(mtl::decimateMinMax(s, 20, 60, 5)),
                 QVector<double>({19, 20, 27, 28, 35, 36, 37, 43, 44, 51, 52, 53, 60, 61}));
        const auto values = mtl::decimateMinMax(s, 0, 100, 5).y;
        QCOMPARE(values[3], 100.0);
        QCOMPARE(values[6], -5.0);
        // Short series come back whole; non-finite values are dropped.
        mtl::XYSeries shortOne{{0, 1, 2}, {1, NAN, 3}};
        QCOMPARE(xs(mtl::decimateMinMax(shortOne, 0, 2, 100)), QVector<double>({0, 2}));
    }

    void envelopeKeepsOnePointPerColumn() {
        mtl::XYSeries s;
        for (int i = 0; i < 100; ++i) {
            s.x.push_back(i);
            s.y.push_back(i == 37 ? 100 : i == 52 ? -5 : i % 2);
        }
        // 5 columns of 20 steps: each column's first x with its lowest (highest) value.
        const mtl::XYSeries low = mtl::decimateEnvelope(s, 0, 100, 5, mtl::Envelope::Lower);
        QCOMPARE(xs(low), QVector<double>({0, 20, 40, 60, 80}));
        QCOMPARE(low.y, std::vector<double>({0, 0, -5, 0, 0}));
        const mtl::XYSeries high = mtl::decimateEnvelope(s, 20, 60, 5, mtl::Envelope::Upper);
        QCOMPARE(xs(high), QVector<double>({19, 20, 28, 36, 44, 52, 61})); // the neighbours outside kept
        QCOMPARE(high.y, std::vector<double>({1, 1, 1, 100, 1, 1, 1}));
    }

    void seedBandOverTheStepsEveryMemberLogged() {
        // Three seeds: the second skipped step 20, the third is still running (ends at 30).
        const std::vector<mtl::StepSeries> members{{{10, 20, 30, 40}, {10, 20, 30, 40}, {1, 2, 3, 4}},
                                                   {{10, 30, 40}, {10, 30, 40}, {3, 5, 8}},
                                                   {{10, 20, 30}, {10, 20, 30}, {2, NAN, 7}}};
        const mtl::BandSeries sd = mtl::seedBand(members, mtl::BandKind::StdDev);
        QCOMPARE(sd.x, std::vector<double>({10, 30}));
        QCOMPARE(sd.mean, std::vector<double>({2, 5}));
        QCOMPARE(sd.low, std::vector<double>({1, 3})); // std of (1, 3, 2) and (3, 5, 7): 1 and 2
        QCOMPARE(sd.high, std::vector<double>({3, 7}));
        const mtl::BandSeries range = mtl::seedBand(members, mtl::BandKind::MinMax);
        QCOMPARE(range.low, std::vector<double>({1, 3}));
        QCOMPARE(range.high, std::vector<double>({3, 7}));
        // A value missing at a step: the others make the point.
        const mtl::BandSeries gap = mtl::seedBand({{{1}, {1}, {2}}, {{1}, {1}, {NAN}}}, mtl::BandKind::StdDev);
        QCOMPARE(gap.mean, std::vector<double>({2}));
        QCOMPARE(gap.high, std::vector<double>({2}));
    }

    void seedGroupDrawsOneMeanWithABand() {
        MetricPlotWidget w;
        w.resize(700, 450);
        w.setRuns({1, 2, 3, 4}, {{1, "1 a"}, {2, "2 a"}, {3, "3 a"}, {4, "4 other"}}, {{{1, 2, 3}, "1 2 3 a (mean of 3 seeds)"}});
        w.setSeries(1, "val/mIoU", {100, 200}, {0, 1}, {0.2, 0.4});
        w.setSeries(2, "val/mIoU", {100, 200}, {0, 1}, {0.3, 0.5});
        w.setSeries(3, "val/mIoU", {100, 200}, {0, 1}, {0.4, 0.9});
        w.setSeries(4, "val/mIoU", {100, 200}, {0, 1}, {0.1, 0.1});
        w.setKeyChecked("train/loss", false);
        w.setKeyChecked("val/mIoU", true);
        w.redrawNow();
        // The group's mean, its band's two edges, and run 4.
        QCOMPARE(w.plot()->graphCount(), 4);
        const MetricPlotWidget::BandGraphs band = w.bandGraphs(0, "val/mIoU");
        QVERIFY(band.mean && band.low && band.high);
        QCOMPARE(band.mean->name(), QString("1 2 3 a (mean of 3 seeds) · val/mIoU"));
        QCOMPARE(band.mean->data()->at(1)->value, 0.6);
        QCOMPARE(band.low->data()->at(0)->value, 0.3 - 0.1); // mean 0.3, std 0.1
        QCOMPARE(band.high->data()->at(1)->value, 0.6 + std::sqrt(0.14 / 2)); // (0.4, 0.5, 0.9): squares 0.14
        QCOMPARE(band.high->channelFillGraph(), band.low);
        QCOMPARE(w.plot()->legend->itemCount(), 2); // the edges are not listed
        QCOMPARE(w.drawnPointCount(4, "val/mIoU"), 2);
        w.setSeedView(MetricPlotWidget::SeedView::MeanMinMax);
        w.redrawNow();
        QCOMPARE(w.bandGraphs(0, "val/mIoU").low->data()->at(1)->value, 0.4);
        QCOMPARE(w.bandGraphs(0, "val/mIoU").high->data()->at(1)->value, 0.9);
        w.setSeedView(MetricPlotWidget::SeedView::Runs); // the single runs on demand
        w.redrawNow();
        QCOMPARE(w.plot()->graphCount(), 4);
        QVERIFY(!w.bandGraphs(0, "val/mIoU").mean);
        QCOMPARE(w.drawnPointCount(2, "val/mIoU"), 2);
    }

    void plotsKeysGroupedAndDecimatesLongSeries() {
        MetricPlotWidget w;
        w.resize(900, 500);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setRuns({7}, {{7, "run 7"}});
        const int n = 300000;
        QVector<double> steps(n), walls(n), values(n);
        for (int i = 0; i < n; ++i) {
            steps[i] = i + 1;
            walls[i] = 1000.0 + i * 0.5;
            values[i] = 1.0 / (1 + i * 1e-4) + ((i % 2) ? 0.01 : -0.01);
        }
        w.setSeries(7, "train/loss", steps, walls, values);
        w.setSeries(7, "train/lr", {1, 2}, {1000, 1001}, {0.1, 0.09});
        w.setSeries(7, "val/mIoU", {500}, {1100}, {0.3});
        QCOMPARE(w.keys(), QStringList({"train/loss", "train/lr", "val/mIoU"}));
        QCOMPARE(w.checkedKeys(), QStringList({"train/loss"})); // losses shown by default
        auto* tree = w.findChild<QTreeWidget*>();
        QCOMPARE(tree->topLevelItemCount(), 2);
        QCOMPARE(tree->topLevelItem(0)->text(0), QString("train"));
        QCOMPARE(tree->topLevelItem(0)->childCount(), 2);
        QCOMPARE(tree->topLevelItem(1)->child(0)->text(0), QString("mIoU"));
        w.redrawNow();
        const int columns = w.plot()->axisRect()->width();
        const int drawn = w.drawnPointCount(7, "train/loss");
        QVERIFY2(drawn > columns && drawn <= 4 * columns + 2, qPrintable(QString::number(drawn)));
        QCOMPARE(w.pointCount(7, "train/loss"), n);
        QCOMPARE(w.plot()->xAxis->range().lower, 1.0);
        QCOMPARE(w.plot()->xAxis->range().upper, double(n));
        // Wall time: minutes since the first point.
        w.setXAxis(MetricPlotWidget::XAxis::WallTime);
        w.redrawNow();
        QCOMPARE(w.plot()->xAxis->range().upper, (n - 1) * 0.5 / 60.0);
        // Appended points extend the series; checked keys add graphs.
        w.appendPoints(7, "train/lr", {3}, {1002}, {0.08});
        QCOMPARE(w.pointCount(7, "train/lr"), 3);
        QCOMPARE(w.lastStep(7, "train/lr"), qint64(3));
        w.setKeyChecked("val/mIoU", true);
        w.redrawNow();
        QCOMPARE(w.plot()->graphCount(), 2);
        QCOMPARE(w.drawnPointCount(7, "val/mIoU"), 1);
    }

    // Per-class curves (val_iou/<class>, one key per class) come as a closed group until one of
    // them is drawn; a group the user opened or closed stays so when keys arrive.
    void perClassCurvesComeAsAClosedGroup() {
        MetricPlotWidget w;
        w.setRuns({3}, {{3, "run"}});
        w.setSeries(3, "val/mIoU", {10}, {1}, {0.4});
        const QStringList classes = {"road", "sidewalk", "building", "wall", "fence", "pole", "light",
                                     "sign", "vegetation", "terrain", "sky", "person"};
        for (const QString& c : classes) w.setSeries(3, "val_iou/" + c, {10}, {1}, {0.5});
        auto* tree = w.findChild<QTreeWidget*>();
        auto group = [&](const QString& name) -> QTreeWidgetItem* {
            for (int i = 0; i < tree->topLevelItemCount(); ++i)
                if (tree->topLevelItem(i)->text(0) == name) return tree->topLevelItem(i);
            return nullptr;
        };
        QVERIFY(group("val") && group("val")->isExpanded());
        QVERIFY(group("val_iou") && !group("val_iou")->isExpanded());
        QCOMPARE(group("val_iou")->childCount(), int(classes.size()));
        w.setKeyChecked("val_iou/person", true); // drawn: its group opens
        QVERIFY(group("val_iou")->isExpanded());
        group("val")->setExpanded(false);         // the user closes one
        w.setSeries(3, "val/mAP", {10}, {1}, {0.2}); // a new key rebuilds the list
        QVERIFY(!group("val")->isExpanded());
        QVERIFY(group("val_iou")->isExpanded());
    }

    void overlaysRunsAndSmooths() {
        MetricPlotWidget w;
        w.resize(600, 400);
        w.setRuns({1, 2}, {{1, "a"}, {2, "b"}});
        w.setSeries(1, "train/loss", {1, 2, 3}, {0, 1, 2}, {1, 2, 3});
        w.setSeries(2, "train/loss", {1, 2}, {0, 1}, {5, 5});
        w.setSmoothing(0.5);
        w.redrawNow();
        QCOMPARE(w.plot()->graphCount(), 2);
        QCOMPARE(w.plot()->graph(0)->name(), QString("a · train/loss"));
        QCOMPARE(w.plot()->graph(0)->data()->at(2)->value, 2.125 / 0.875);
        w.setRuns({2}, {{2, "b"}}); // run 1 deselected: its data goes
        QCOMPARE(w.pointCount(1, "train/loss"), 0);
        w.redrawNow();
        QCOMPARE(w.plot()->graphCount(), 1);
    }

    void validationIsDrawnAsMeasuredAndTheLegendBesideTheData() {
        MetricPlotWidget w;
        w.resize(700, 450);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.redrawNow();
        // Nothing to plot yet: the axes still take the plot's width.
        QVERIFY2(w.plot()->axisRect()->width() > w.plot()->width() / 2, qPrintable(QString::number(w.plot()->axisRect()->width())));
        w.setRuns({1, 2}, {{1, "a"}, {2, "b"}});
        for (const qint64 run : {1, 2}) {
            w.setSeries(run, "train/loss", {1, 2, 3, 4}, {0, 1, 2, 3}, {0.9, 0.5, 0.4, 0.3});
            w.setSeries(run, "val/mIoU", {2, 4}, {1, 3}, {0.2, 0.243});
            w.setKeyChecked("val/mIoU", true);
        }
        w.setSmoothing(0.9);
        w.redrawNow();
        QCOMPARE(w.plot()->graphCount(), 4);
        for (int i = 0; i < w.plot()->graphCount(); ++i) {
            const QCPGraph* g = w.plot()->graph(i);
            if (!g->name().endsWith("val/mIoU")) {
                QVERIFY(g->data()->at(3)->value > 0.3); // the loss is smoothed
                continue;
            }
            QCOMPARE(g->data()->at(1)->value, 0.243); // the last validation as measured
            QCOMPARE(g->scatterStyle().shape(), QCPScatterStyle::ssCircle);
        }
        // The legend lies outside the axis rectangle, with an entry per curve, inside the plot.
        QVERIFY(w.plot()->legend->visible());
        for (int i = 0; i < w.plot()->graphCount(); ++i) QVERIFY(w.plot()->legend->hasItemWithPlottable(w.plot()->graph(i)));
        QVERIFY(!w.plot()->legend->outerRect().intersects(w.plot()->axisRect()->rect()));
        QVERIFY(w.plot()->rect().contains(w.plot()->legend->outerRect()));
        // Log scale over less than a decade still labels its ticks.
        w.setKeyChecked("train/loss", false);
        w.setLogScale(true);
        w.redrawNow();
        const QVector<double> ticks = w.plot()->yAxis->tickVector();
        QVERIFY2(ticks.size() >= 3, qPrintable(QString::number(ticks.size())));
        QCOMPARE(w.plot()->yAxis->tickVectorLabels().size(), ticks.size());
        QVERIFY(std::all_of(ticks.begin(), ticks.end(), [](double t) { return t > 0.15 && t < 0.3; }));
    }

    void exportsPngPdfSvg() {
        QTemporaryDir dir;
        MetricPlotWidget w;
        w.resize(600, 400);
        w.setRuns({1}, {{1, "a"}});
        w.setSeries(1, "train/loss", {1, 2, 3}, {0, 1, 2}, {3, 2, 1});
        for (const char* suffix : {"png", "pdf", "svg"}) {
            const QString path = dir.filePath(QString("plot.") + suffix);
            QVERIFY2(w.exportTo(path), suffix);
            QVERIFY(QFileInfo(path).size() > 100);
        }
        QImage png(dir.filePath("plot.png"));
        QCOMPARE(png.size(), w.plot()->size() * 2); // exported at twice the screen resolution
        QFile svg(dir.filePath("plot.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(svg.readAll());
        QVERIFY(text.contains("<polyline"));
        QVERIFY(text.contains("train/loss"));
        // The plot's own pixels as the drawing's coordinates, shown at that size (96 px per inch).
        const QSize size = w.plot()->size();
        QVERIFY2(text.contains(QString("viewBox=\"0 0 %1 %2\"").arg(size.width()).arg(size.height())), qPrintable(text.left(400)));
        QVERIFY(text.contains(QString("width=\"%1mm\"").arg(size.width() * 25.4 / 96, 0, 'g', 6)));
        QVERIFY(!w.exportTo(dir.filePath("plot.bmp")));

        // Ten curves of two runs: every legend entry is in the SVG, inside the drawing.
        w.setRuns({1, 2}, {{1, "run-a"}, {2, "run-b"}});
        const QStringList keys = {"train/loss", "train/seg_loss", "train/det_loss", "val/mIoU", "val/mAP"};
        for (const qint64 run : {1, 2})
            for (const QString& key : keys) {
                w.setSeries(run, key, {1, 2, 3}, {0, 1, 2}, {0.5, 0.4, 0.3});
                w.setKeyChecked(key, true);
            }
        QVERIFY(w.exportTo(dir.filePath("many.svg")));
        QFile many(dir.filePath("many.svg"));
        QVERIFY(many.open(QIODevice::ReadOnly));
        const QString manyText = QString::fromUtf8(many.readAll());
        QVERIFY(manyText.count("run-a") >= 5 && manyText.count("run-b") >= 5);
        for (const QString& key : keys) // one entry per run ("train/loss" is in no other key)
            QVERIFY2(manyText.count(key) >= 2, qPrintable(key));
        QVERIFY(w.plot()->rect().contains(w.plot()->legend->outerRect()));
    }
};

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"
