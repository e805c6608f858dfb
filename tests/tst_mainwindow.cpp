// The main window: the registry's runs in the runs table, the experiment's data in the designer,
// viewer and augmentation preview, live training plots fed by queued signals, a grid queued from
// the designer trained one run after another, deletion, and a clean stop when closed.
#include "TestSupport.h"

#include "core/data/CityscapesDataset.h"
#include "core/eval/PaperTable.h"
#include "core/eval/TableFormat.h"
#include "core/experiment/Registry.h"
#include "core/experiment/StoredRun.h"
#include "widgets/AugmentPreviewWidget.h"
#include "widgets/MainWindow.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/QualitativeViewer.h"
#include "widgets/RunTableModel.h"
#include "widgets/RunsPanel.h"
#include "widgets/TablesWidget.h"
#include "widgets/SubsetDesigner.h"
#include "widgets/TrainingController.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
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

    // Clicks the button of this text in the next modal message box (one shown by the call that follows).
    static void answerNextQuestion(const QString& button) {
        auto* poll = new QTimer;
        QObject::connect(poll, &QTimer::timeout, [poll, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            for (QAbstractButton* b : box->buttons())
                if (b->text() == button) {
                    poll->deleteLater();
                    poll->stop();
                    b->click();
                    return;
                }
        });
        poll->start(20);
    }

    static QStringList column(const QAbstractItemModel* m, int col) {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r) out << m->index(r, col).data().toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("mtl-workbench-test");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
        data_ = writeTinySynthetic(dir_.filePath("synth"), 16, 3);
    }

    void findsTheRegistryRunsAndOpensTheExperiment() {
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
        const QAbstractItemModel* table = w.runsPanel()->view()->model();
        QCOMPARE(column(table, RunTableModel::Name), QStringList({"beta", "alpha"})); // newest first
        QCOMPARE(column(table, RunTableModel::Status), QStringList({"failed", "queued"}));
        QTRY_VERIFY_WITH_TIMEOUT(w.experimentReady(), 10000);
        QCOMPARE(w.viewer()->count(), 3); // validation images
        QCOMPARE(w.designer()->design().poolSize, std::size_t(16));
        QTRY_VERIFY_WITH_TIMEOUT(!w.augmentPreview()->rendered(mtl::AugmentMode::Equivariant).isNull(), 20000);
        // Deleting (confirmed) removes the run from the registry and the table.
        w.deleteRuns({1}, /*confirm=*/false);
        QCOMPARE(column(table, RunTableModel::Name), QStringList({"beta"}));
        QVERIFY(!mtl::Registry(registry.toStdString()).run(1).has_value());
    }

    void viewerShowsARunWithoutAnExperiment() {
        // Opened with no config, a finished run selected: its own validation images, its weights,
        // and which checkpoint and step they are.
        const QString registry = dir_.filePath("viewer.sqlite");
        qint64 id = 0;
        {
            MainWindow trainer(registry, writeConfig(2));
            trainer.startRun();
            id = trainer.controller()->currentRunId();
            QTRY_VERIFY_WITH_TIMEOUT(!trainer.controller()->isRunning(), 60000);
        }
        MainWindow w(registry, {});
        w.show();
        w.tabs()->setCurrentWidget(w.viewer());
        QCOMPARE(w.viewer()->count(), 0);
        w.runsPanel()->selectRun(id);
        QTRY_COMPARE_WITH_TIMEOUT(w.viewer()->count(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w.viewer()->paneCaption(1).contains(".pt, step 2) — "), 30000);
    }

    void aFailedDataSetLeavesNothingStale() {
        // A config whose data set cannot be opened: its error shows, the designer forgets the
        // previous data set; a good config again clears the error so that progress shows.
        MainWindow w(dir_.filePath("stale.sqlite"), writeConfig(10));
        QTRY_VERIFY_WITH_TIMEOUT(w.experimentReady(), 10000);
        QCOMPARE(w.designer()->design().poolSize, std::size_t(16));
        mtl::ExperimentConfig bad = tinyExperiment(dir_.filePath("missing"), 10);
        const QString badPath = dir_.filePath("bad-data.yaml");
        std::ofstream(badPath.toStdString()) << mtl::toYaml(bad);
        QVERIFY(w.loadConfig(badPath));
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains("does not exist"), 10000);
        QVERIFY(w.statusBar()->currentMessage().startsWith("data set 'synthetic:"));
        QCOMPARE(w.designer()->design().poolSize, std::size_t(0));
        QVERIFY(!w.designer()->isEnabled());
        QVERIFY(w.designer()->countsText().contains("does not exist"));
        QVERIFY(w.loadConfig(writeConfig(10)));
        QTRY_VERIFY_WITH_TIMEOUT(w.experimentReady(), 10000);
        QCOMPARE(w.statusBar()->currentMessage(), QString());
        QCOMPARE(w.designer()->design().poolSize, std::size_t(16));
    }

    void trainsLiveAndStopsCleanlyOnClose() {
        const QString registry = dir_.filePath("live.sqlite");
        auto* w = new MainWindow(registry, writeConfig(100000));
        w->show();
        w->startRun();
        const qint64 id = w->controller()->currentRunId();
        QVERIFY(id > 0);
        QCOMPARE(w->runsPanel()->selectedRunId(), id);
        // Points arrive through queued signals while the run trains in its thread.
        QTRY_VERIFY_WITH_TIMEOUT(w->plots()->pointCount(id, "train/loss") >= 2, 30000);
        QVERIFY(w->plots()->keys().contains("train/lr"));
        QVERIFY(w->controller()->isRunning());
        // Closing while training asks first: Cancel keeps the window and the run.
        answerNextQuestion("Cancel");
        QVERIFY(!w->close());
        QVERIFY(w->isVisible());
        QVERIFY(w->controller()->isRunning());
        answerNextQuestion("Stop and quit");
        QVERIFY(w->close());
        QVERIFY(!w->controller()->isRunning());
        delete w;
        std::size_t points = 0;
        {
            mtl::Registry r(registry.toStdString());
            QCOMPARE(statusText(r.run(id)->status), QString("interrupted"));
            points = r.series(id, "train/loss").size();
            QVERIFY(points >= 2);
        }

        // Resume from the runs table: the same run continues from its checkpoint.
        auto* again = new MainWindow(registry, {});
        again->show();
        again->runsPanel()->selectRun(id);
        QPushButton* resume = nullptr;
        for (auto* b : again->runsPanel()->findChildren<QPushButton*>())
            if (b->text() == "Resume") resume = b;
        QVERIFY(resume && resume->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QCOMPARE(again->controller()->currentRunId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(mtl::Registry(registry.toStdString()).series(id, "train/loss").size() > points, 30000);
        answerNextQuestion("Stop and quit");
        QVERIFY(again->close());
        delete again;
        mtl::Registry r(registry.toStdString());
        QCOMPARE(statusText(r.run(id)->status), QString("interrupted"));
        QCOMPARE(int(r.listRuns().size()), 1); // continued, not started again
    }

    void designerQueuesAGridTrainedInTurn() {
        const QString registry = dir_.filePath("grid.sqlite");
        MainWindow w(registry, writeConfig(6));
        QTRY_VERIFY_WITH_TIMEOUT(w.experimentReady(), 10000);
        w.designer()->applyPreset(0); // (a) det all · seg 1/32 → 1 of 16 images
        w.designer()->findChild<QLineEdit*>("seeds")->setText("0, 1");
        const auto configs = w.designer()->plannedRuns();
        QCOMPARE(int(configs.size()), 2);
        Q_EMIT w.designer()->startRequested(configs);
        // Both recorded at once; the second waits for the first.
        mtl::Registry r(registry.toStdString());
        QCOMPARE(int(r.listRuns().size()), 2);
        QTRY_VERIFY_WITH_TIMEOUT(r.listRuns().front().status == mtl::RunStatus::Finished &&
                                     r.listRuns().back().status == mtl::RunStatus::Finished, 60000);
        const auto runs = r.listRuns();
        QCOMPARE(QString::fromStdString(runs.back().name), QString("tiny-a-dall-s1-supervised-implicit-seed0"));
        QVERIFY(runs.back().splitJson.find("\"setting\": \"a\"") != std::string::npos);
        QCOMPARE(w.controller()->queuedCount(), 0);

        // Selecting both runs: the viewer shows ground truth + both runs' predictions (their
        // checkpoints loaded in its worker), the tables their stored results.
        w.tabs()->setCurrentWidget(w.viewer());
        w.refreshRuns();
        w.runsPanel()->selectRuns({runs.front().id, runs.back().id});
        QCOMPARE(w.viewer()->paneCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(!w.viewer()->predictionsPending() && w.viewer()->paneCaption(2).contains("box"), 30000);
        w.tabs()->setCurrentWidget(w.tables()); // the tables are read when their tab is shown
        w.tables()->setKind(TablesWidget::Kind::SegmentationClasses);
        QTRY_COMPARE_WITH_TIMEOUT(w.tables()->view()->rowCount(), 3, 10000); // % pixels + 2 runs
        QCOMPARE(w.tables()->view()->columnCount(), 2 + 19 + 1);              // method, run, 19 classes, mIoU
        QVERIFY(w.tables()->exported(mtl::TableFormat::Csv).contains("tiny-a-dall-s1-supervised-implicit-seed1"));
    }

    void tablesFollowARunToItsEnd() {
        // The Tables tab shown when the run starts (no results yet) must show its final results
        // when it finishes, without the run being selected again.
        const QString registry = dir_.filePath("follow.sqlite");
        mtl::ExperimentConfig config = tinyExperiment(data_, 6);
        config.eval.every = 3;
        const QString path = dir_.filePath("follow.yaml");
        std::ofstream(path.toStdString()) << mtl::toYaml(config);
        MainWindow w(registry, path);
        w.show();
        w.startRun();
        const qint64 id = w.controller()->currentRunId();
        QVERIFY(id > 0);
        w.tabs()->setCurrentWidget(w.tables()); // Start shows the plots
        QTRY_COMPARE_WITH_TIMEOUT(statusText(mtl::Registry(registry.toStdString()).run(id)->status), QString("finished"),
                                  60000);
        const mtl::Table expected =
            mtl::summaryGrid({mtl::tableRunFrom(mtl::openStoredRun(std::to_string(id), registry.toStdString()))});
        QTRY_COMPARE_WITH_TIMEOUT(w.tables()->exported(mtl::TableFormat::Csv),
                                  QString::fromStdString(mtl::formatTable(expected, mtl::TableFormat::Csv)), 10000);
        QCOMPARE(w.tables()->view()->rowCount(), int(expected.rows.size()));
    }

    void fitsA1280By800Screen() {
        // Every tab, with an experiment loaded, a finished run's tables and a failed run's long
        // message listed: the window can shrink to 1280 x 800.
        const QString registry = dir_.filePath("fit.sqlite");
        {
            mtl::Registry r(registry.toStdString());
            const auto id = r.createRun("a-run-name-as-long-as-sweeps-make-them-seed0", "name: x\n", "/tmp/x", "cpu", 0);
            r.setStatus(id, mtl::RunStatus::Failed, std::string(300, 'e'));
        }
        MainWindow w(registry, writeConfig(2));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.experimentReady(), 10000);
        w.startRun();
        const qint64 id = w.controller()->currentRunId();
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isRunning(), 60000);
        w.runsPanel()->selectRuns({1, id});
        w.tabs()->setCurrentWidget(w.tables());
        QTRY_VERIFY_WITH_TIMEOUT(w.tables()->view()->rowCount() > 0, 10000);
        for (int i = 0; i < w.tabs()->count(); ++i) {
            w.tabs()->setCurrentIndex(i);
            QCoreApplication::processEvents();
            const QSize minimum = w.minimumSizeHint().expandedTo(w.minimumSize());
            QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 800,
                     qPrintable(QString("tab %1: minimum %2 x %3").arg(w.tabs()->tabText(i)).arg(minimum.width()).arg(minimum.height())));
        }
    }

    void keepsTheLayoutInSettings() {
        const QString registry = dir_.filePath("layout.sqlite");
        {
            MainWindow w(registry, {});
            w.show();
            w.tabs()->setCurrentIndex(2);
            w.close();
        }
        MainWindow again(registry, {});
        QCOMPARE(again.tabs()->currentIndex(), 2);
    }

    void clampsASavedGeometryToTheScreen() {
        // A geometry saved on a larger screen (or grown by a widget) opens within this one.
        const QString registry = dir_.filePath("clamp.sqlite");
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        {
            MainWindow w(registry, {});
            w.show();
            w.setGeometry(available.x(), available.y(), available.width() + 900, available.height() + 500);
            w.close();
        }
        MainWindow again(registry, {});
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        // Within the screen, unless the window's minimum is larger (the offscreen screen is 800 wide).
        const QSize frame = again.frameGeometry().size() - again.geometry().size();
        const QSize limit = available.size().expandedTo(again.minimumSizeHint() + frame);
        QTRY_VERIFY2(again.frameGeometry().width() <= limit.width() && again.frameGeometry().height() <= limit.height(),
                     qPrintable(QString("%1 x %2 on %3 x %4").arg(again.frameGeometry().width()).arg(again.frameGeometry().height())
                                    .arg(available.width()).arg(available.height())));
        QVERIFY(available.contains(again.frameGeometry().topLeft()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
