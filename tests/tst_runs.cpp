// The runs table: run summaries read from stored configs and splits, the table model, sorting and
// filtering by status, method, setting, tag and name, in-place updates on refresh, multi-selection.
#include "core/data/LabelSplit.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/RunSummary.h"
#include "widgets/RunFilterProxy.h"
#include "widgets/RunTableModel.h"
#include "widgets/RunsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QHeaderView>
#include <QTableView>
#include <QtTest>

namespace {
mtl::RunSummary summary(qint64 id, const char* name, mtl::RunStatus status, const char* method, const char* setting,
                        std::vector<std::string> tags = {}) {
    mtl::RunSummary s;
    s.record.id = id;
    s.record.name = name;
    s.record.status = status;
    s.record.createdAt = 1.7e9 + double(id);
    s.method = method;
    s.setting = setting;
    s.tags = std::move(tags);
    s.seedGroup = s.groupName = name; // each run its own experiment
    return s;
}

QStringList column(const QAbstractItemModel& m, int col) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r) out << m.index(r, col).data().toString();
    return out;
}
} // namespace

class TestRuns : public QObject {
    Q_OBJECT
    std::vector<mtl::RunSummary> runs() const {
        return {summary(3, "gamma", mtl::RunStatus::Running, "densefixmatch", "c", {"sweep"}),
                summary(10, "delta", mtl::RunStatus::Finished, "supervised", "d"),
                summary(2, "beta", mtl::RunStatus::Failed, "supervised", "c", {"sweep", "old"}),
                summary(1, "alpha", mtl::RunStatus::Finished, "fixmatch", "none")};
    }

private Q_SLOTS:
    void summaryReadsTheStoredConfigAndSplit() {
        mtl::ExperimentConfig c;
        c.data.dataset = "synthetic:/data/s";
        c.data.split.setting = mtl::SplitSetting::D;
        c.train.sampling = mtl::Sampling::Explicit;
        mtl::LabelSplit split;
        split.setting = "d";
        split.poolSize = 10;
        split.det = {"a", "b", "c", "d"};
        split.seg = {"b", "c"};
        mtl::RunRecord r;
        r.id = 7;
        r.configYaml = mtl::toYaml(c);
        r.splitJson = mtl::labelSplitToJson(split, 12);
        const mtl::RunSummary s = mtl::summarizeRun(r);
        QCOMPARE(QString::fromStdString(s.method), QString("supervised"));
        QCOMPARE(QString::fromStdString(s.sampling), QString("explicit"));
        QCOMPARE(QString::fromStdString(s.luScope), QString());
        QCOMPARE(QString::fromStdString(s.setting), QString("d"));
        QCOMPARE(QString::fromStdString(s.dataset), QString("synthetic:/data/s"));
        QCOMPARE(s.detLabels, 4LL);
        QCOMPARE(s.segLabels, 2LL);
        QCOMPARE(s.bothLabels, 2LL);
        // A semi-supervised run's stored config carries its method and Lu scope.
        c.train.method = mtl::LearningMethod::named("fixmatch");
        c.train.luScope = mtl::LuScope::All;
        c.augment.mode = mtl::AugmentMode::Invariant; // as FixMatch* implies
        r.configYaml = mtl::toYaml(c);
        const mtl::RunSummary semi = mtl::summarizeRun(r);
        QCOMPARE(QString::fromStdString(semi.method), QString("fixmatch"));
        QCOMPARE(QString::fromStdString(semi.luScope), QString("all"));
        // Broken stored text still lists.
        r.configYaml = "{{{";
        r.splitJson = "not json";
        const mtl::RunSummary broken = mtl::summarizeRun(r);
        QCOMPARE(QString::fromStdString(broken.method), QString("supervised"));
        QCOMPARE(broken.detLabels, -1LL);
        QCOMPARE(QString::fromStdString(broken.seedGroup), QString("unreadable config of run 7"));
        // Seeds of one sweep: one seed group, named without the seed.
        r.name = "sweep seed=1";
        r.configYaml = mtl::toYaml(c);
        c.seed = 2;
        mtl::RunRecord other = r;
        other.id = 8;
        other.name = "sweep seed=2";
        other.configYaml = mtl::toYaml(c);
        QCOMPARE(mtl::summarizeRun(other).seedGroup, mtl::summarizeRun(r).seedGroup);
        QCOMPARE(QString::fromStdString(mtl::summarizeRun(other).groupName), QString("sweep"));
        c.train.lr = 0.5;
        other.configYaml = mtl::toYaml(c);
        QVERIFY(mtl::summarizeRun(other).seedGroup != mtl::summarizeRun(r).seedGroup);
    }

    void panelCollapsesSeedGroups() {
        auto list = runs();
        for (qint64 id : {20, 21, 22}) {
            auto seed = summary(id, "sweep seed=x", id == 22 ? mtl::RunStatus::Running : mtl::RunStatus::Finished,
                                "densefixmatch", "b");
            seed.seedGroup = "sweep";
            seed.groupName = "sweep";
            list.push_back(seed);
        }
        RunsPanel panel;
        panel.setRuns(list);
        QCOMPARE(panel.proxy()->rowCount(), 7);
        panel.selectRuns({21, 3});
        panel.collapseSeeds()->setChecked(true);
        // One row for the three seeds, named by the group, with each status once.
        QCOMPARE(panel.proxy()->rowCount(), 5);
        const int row = panel.model()->rowOf(20);
        QCOMPARE(panel.model()->index(row, RunTableModel::Name).data().toString(), QString("sweep · 3 seeds"));
        QCOMPARE(panel.model()->index(row, RunTableModel::Status).data().toString(), QString("finished, running"));
        QCOMPARE(panel.selectedRunIds(), QList<qint64>({20, 21, 22, 3})); // the selected seed selects its group
        panel.selectRuns({1});
        QCOMPARE(panel.selectedRunIds(), QList<qint64>({1}));
        panel.collapseSeeds()->setChecked(false);
        QCOMPARE(panel.proxy()->rowCount(), 7);
        QCOMPARE(panel.model()->index(row, RunTableModel::Name).data().toString(), QString("sweep seed=x"));
    }

    void modelShowsRunsAndSortsNumerically() {
        RunTableModel model;
        model.setRuns(runs());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(RunTableModel::ColumnCount));
        QCOMPARE(column(model, RunTableModel::Status), QStringList({"running", "finished", "failed", "finished"}));
        QCOMPARE(column(model, RunTableModel::Labels), QStringList({"on disk", "on disk", "on disk", "on disk"}));
        QCOMPARE(model.index(2, RunTableModel::Tags).data().toString(), QString("sweep, old"));
        // A data-parallel run shows like any other; its narrow device cell has the whole text as tip.
        auto distributed = runs();
        distributed[0].record.device = "cuda x8 processes (nccl)";
        model.setRuns(distributed);
        QCOMPARE(model.index(0, RunTableModel::Device).data().toString(), QString("cuda x8 processes (nccl)"));
        QCOMPARE(model.index(0, RunTableModel::Device).data(Qt::ToolTipRole).toString(), QString("cuda x8 processes (nccl)"));
        model.setRuns(runs());
        RunFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(RunTableModel::Id, Qt::AscendingOrder);
        QCOMPARE(column(proxy, RunTableModel::Id), QStringList({"1", "2", "3", "10"})); // 10 after 3: numbers
        proxy.sort(RunTableModel::Name, Qt::DescendingOrder);
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"gamma", "delta", "beta", "alpha"}));
    }

    void proxyFilters() {
        RunTableModel model;
        model.setRuns(runs());
        RunFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(RunTableModel::Id, Qt::AscendingOrder);
        proxy.setStatus("finished");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"alpha", "delta"}));
        proxy.setStatus({});
        proxy.setMethod("supervised");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"beta", "delta"}));
        proxy.setSetting("c");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"beta"}));
        proxy.setMethod({});
        proxy.setTag("sweep");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"beta", "gamma"}));
        proxy.setTag("old");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"beta"}));
        proxy.setTag({});
        proxy.setSetting({});
        proxy.setNameContains("ET");
        QCOMPARE(column(proxy, RunTableModel::Name), QStringList({"beta"}));
    }

    void refreshUpdatesRowsInPlace() {
        RunTableModel model;
        model.setRuns(runs());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        auto next = runs();
        next[0].record.status = mtl::RunStatus::Finished;
        model.setRuns(next);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(model.index(0, RunTableModel::Status).data().toString(), QString("finished"));
        next.pop_back(); // a run deleted elsewhere: the rows change
        model.setRuns(next);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 3);
    }

    void panelSelectsSeveralRunsAndKeepsThemOnRefresh() {
        RunsPanel panel;
        panel.setRuns(runs());
        QSignalSpy selected(&panel, &RunsPanel::selectionChanged);
        panel.selectRuns({2, 10});
        QCOMPARE(selected.count(), 1);
        QCOMPARE(panel.selectedRunIds(), QList<qint64>({10, 2})); // table order: newest id first
        auto next = runs();
        next.push_back(summary(11, "epsilon", mtl::RunStatus::Queued, "supervised", "a"));
        panel.setRuns(next);
        QCOMPARE(panel.selectedRunIds(), QList<qint64>({10, 2}));
        // The filter choices are the values present.
        QStringList statuses;
        for (int i = 0; i < panel.statusFilter()->count(); ++i) statuses << panel.statusFilter()->itemText(i);
        QCOMPARE(statuses, QStringList({"any", "failed", "finished", "queued", "running"}));
        panel.statusFilter()->setCurrentIndex(panel.statusFilter()->findText("failed"));
        QCOMPARE(panel.proxy()->rowCount(), 1);
    }

    void columnsShowNamesAndLabelCountsWhole() {
        // A sweep's long name and the label counts fit; the tags do not take the spare width.
        RunsPanel panel;
        panel.resize(1280, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto list = runs();
        list.push_back(summary(12, "quickstart-b-d13-s13-densefixmatch-explicit-luunlabeled-seed2", mtl::RunStatus::Finished,
                               "densefixmatch", "b", {"sweep"}));
        list.back().detLabels = 13;
        list.back().segLabels = 13;
        panel.setRuns(list);
        QTableView* view = panel.view();
        const QFontMetrics fm(view->font());
        QVERIFY2(view->columnWidth(RunTableModel::Name) >= fm.horizontalAdvance(QString::fromStdString(list.back().record.name)),
                 qPrintable(QString::number(view->columnWidth(RunTableModel::Name))));
        const QString labelsHeader = panel.proxy()->headerData(RunTableModel::Labels, Qt::Horizontal).toString();
        QVERIFY(view->columnWidth(RunTableModel::Labels) >= view->horizontalHeader()->fontMetrics().horizontalAdvance(labelsHeader));
        QVERIFY(view->columnWidth(RunTableModel::Tags) <= 260);
        QVERIFY(view->columnWidth(RunTableModel::Tags) < view->columnWidth(RunTableModel::Name));
    }
};

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
