// The Equivariance tab: the stored scores of several runs side by side (table and plot), and a run
// that was never measured named with the command that measures it.
#include "TestSupport.h"

#include "core/eval/EquivarianceProbe.h"
#include "core/train/TrainingRun.h"
#include "widgets/EquivarianceView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <qcustomplot.h>

#include <fstream>

class TestEquivarianceView : public QObject {
    Q_OBJECT

    static void write(const QString& dir, double seg, std::optional<double> recall) {
        QDir().mkpath(dir);
        std::vector<mtl::EquivarianceScore> scores(2);
        scores[0].transform = {"flip", 0};
        scores[0].segMeanIoU = seg;
        scores[0].boxRecall = recall;
        scores[0].images = 20;
        scores[1].transform = {"rotate", 10};
        scores[1].segMeanIoU = seg / 2;
        scores[1].images = 20;
        std::ofstream(QDir(dir).filePath(mtl::kEquivarianceFile).toStdString()) << mtl::equivarianceJson(scores);
    }

private Q_SLOTS:
    void showsStoredScoresOfSeveralRuns() {
        QTemporaryDir dir;
        write(dir.filePath("a"), 0.9, 0.75);
        write(dir.filePath("b"), 0.6, std::nullopt);
        EquivarianceView view;
        QSignalSpy loaded(&view, &EquivarianceView::loaded);
        view.setRuns({{1, "supervised", dir.filePath("a")}, {2, "dense", dir.filePath("b")}, {3, "fresh", dir.filePath("c")}});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.table()->rowCount(), 2);
        QCOMPARE(view.table()->columnCount(), 5); // transform, then seg and box per measured run
        QCOMPARE(view.table()->item(0, 0)->text(), QString("flip"));
        QCOMPARE(view.table()->item(1, 0)->text(), QString("rotate 10"));
        QCOMPARE(view.table()->item(0, 1)->text(), QString("0.900"));
        QCOMPARE(view.table()->item(0, 2)->text(), QString("0.750"));
        QCOMPARE(view.table()->item(1, 3)->text(), QString("0.300"));
        QCOMPARE(view.table()->item(0, 4)->text(), QString("–"));
        QCOMPARE(view.plot()->graphCount(), 2);
        QCOMPARE(view.plot()->graph(1)->dataCount(), 2);
        QCOMPARE(view.message(), QString("run 3: not measured yet (Measure, or mtlw diagnose equivariance 3)"));

        std::ofstream(QDir(dir.filePath("b")).filePath(mtl::kEquivarianceFile).toStdString()) << "{\"equivariance\": 3}";
        view.setRuns({{2, "dense", dir.filePath("b")}});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view.table()->rowCount(), 0);
        QVERIFY2(view.message().endsWith("equivariance.json: equivariance: must be an array, got number"),
                 qPrintable(view.message()));
    }

    void measuresATrainedRunInTheBackground() {
        QTemporaryDir dir;
        const QString data = writeTinySynthetic(dir.filePath("data"), 8, 2);
        mtl::TrainingRun run(tinyExperiment(data, 2), dir.filePath("registry.sqlite").toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        EquivarianceView view;
        view.resize(900, 700);
        QSignalSpy loaded(&view, &EquivarianceView::loaded), measured(&view, &EquivarianceView::measured);
        view.setRuns({{1, "tiny", QString::fromStdString(run.runDir())}});
        QVERIFY(loaded.wait(10000));
        QVERIFY(view.message().startsWith("run 1: not measured yet"));
        QVERIFY(view.measureButton()->isEnabled());
        QTest::mouseClick(view.measureButton(), Qt::LeftButton);
        QVERIFY(view.measuring());
        QVERIFY(!view.measureButton()->isEnabled());
        QVERIFY(measured.wait(120000));
        QVERIFY(QFileInfo::exists(QDir(QString::fromStdString(run.runDir())).filePath(mtl::kEquivarianceFile)));
        QTRY_COMPARE_WITH_TIMEOUT(view.table()->rowCount(), int(mtl::equivarianceTransforms().size()), 10000);
        QCOMPARE(view.message(), QString());
        QVERIFY(view.measureButton()->isEnabled());
        // The plot keeps a readable height.
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.plot()->height() >= 260);
    }
};

QTEST_MAIN(TestEquivarianceView)
#include "tst_equivariance_view.moc"
