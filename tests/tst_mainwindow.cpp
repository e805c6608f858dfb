// The GUI skeleton: the main window finds the registry's runs, trains live from the GUI and stops
// the run cleanly when closed.
#include "TestSupport.h"

#include "core/data/CityscapesDataset.h"
#include "core/data/SyntheticCityscapes.h"
#include "core/experiment/Registry.h"
#include "widgets/LossPlotWidget.h"
#include "widgets/MainWindow.h"
#include "widgets/RunListWidget.h"
#include "widgets/SampleViewer.h"
#include "widgets/TrainingController.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_;

    QString writeConfig(int steps) {
        const QString path = dir_.filePath(QString("tiny-%1.yaml").arg(steps));
        std::ofstream(path.toStdString()) << mtl::toYaml(tinyExperiment(data_, steps));
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        data_ = dir_.filePath("synth");
        mtl::SynthOptions o;
        o.outDir = data_.toStdString();
        o.train = 12;
        o.val = 3;
        o.width = 128;
        o.height = 64;
        mtl::writeSyntheticCityscapes(o);
    }

    void findsTheRegistryRuns() {
        const QString registry = dir_.filePath("listed.sqlite");
        {
            mtl::Registry r(registry.toStdString());
            r.createRun("alpha", "name: alpha\n", "/tmp/a", "cpu", 1);
            const auto id = r.createRun("beta", "name: beta\n", "/tmp/b", "cpu", 2);
            r.setStatus(id, mtl::RunStatus::Failed, "boom");
        }
        MainWindow w(registry, writeConfig(10));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        RunListWidget* list = w.runList();
        QCOMPARE(list->rowCount(), 2);
        QStringList names, statuses;
        for (int row = 0; row < 2; ++row) {
            names << list->item(row, 1)->text();
            statuses << list->item(row, 2)->text();
        }
        QCOMPARE(names, QStringList({"beta", "alpha"})); // newest first
        QCOMPARE(statuses, QStringList({"failed", "queued"}));
        QTRY_COMPARE_WITH_TIMEOUT(w.viewer()->count(), 3, 10000); // validation images shown
        QCOMPARE(w.viewer()->currentId(), QString::fromStdString(mtl::CityscapesDataset(data_.toStdString(), "val").id(0)));
    }

    void trainsLiveAndStopsCleanlyOnClose() {
        const QString registry = dir_.filePath("live.sqlite");
        auto* w = new MainWindow(registry, writeConfig(100000));
        w->show();
        w->startRun();
        const qint64 id = w->controller()->currentRunId();
        QVERIFY(id > 0);
        QCOMPARE(w->runList()->selectedRunId(), id);
        // Points arrive through queued signals while the run trains in its thread.
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount("train/loss") >= 2, 30000);
        QVERIFY(w->controller()->isRunning());
        QVERIFY(w->close());
        QVERIFY(!w->controller()->isRunning());
        delete w;
        mtl::Registry r(registry.toStdString());
        QCOMPARE(statusText(r.run(id)->status), QString("interrupted"));
        QVERIFY(r.series(id, "train/loss").size() >= 2);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
