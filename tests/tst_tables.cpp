// The paper's tables from hand-made run results: per-class tables (Tables 5/6/8/9) and summary grids
// (Tables 1-4/7) in CSV, Markdown and LaTeX, checked line by line.
#include "core/common/Error.h"
#include "core/eval/PaperTable.h"
#include "core/experiment/SeedGroups.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <limits>
#include <unistd.h>

using namespace mtl;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

TableRun segRun(const std::string& name, const std::string& method, const std::string& sampling,
                std::vector<std::optional<double>> iou, double mean, double spread) {
    TableRun r;
    r.name = name;
    r.method = LearningMethod::named(method);
    r.sampling = sampling;
    r.tasks = "multi";
    r.results.classes.seg = {"road", "wall", "sky"};
    r.results.report.segIoU = std::move(iou);
    r.results.report.mIoU = mean;
    r.results.report.stdIoU = spread;
    r.groupKey = r.results.file = name; // each its own experiment
    r.dataset = "synthetic, split val";
    return r;
}

TableRun gridRun(const std::string& name, const std::string& method, const std::string& sampling,
                 const std::string& tasks, const std::string& setting, std::size_t seg, double mIoU, double mAP) {
    TableRun r;
    r.name = name;
    r.method = LearningMethod::named(method);
    r.sampling = sampling;
    r.tasks = tasks;
    r.setting = setting;
    r.segLabels = seg;
    r.detLabels = 8;
    r.trainSplits = "train";
    r.results.report.mIoU = mIoU;
    r.results.report.mAP = mAP;
    r.results.report.geometricMean = tasks == "multi" ? std::sqrt(mIoU * mAP) : tasks == "seg" ? mIoU : mAP;
    r.groupKey = r.results.file = name;
    r.dataset = "synthetic, split val";
    return r;
}

// Seed `seed` of the experiment `group` ("group seed=N", as a sweep names its cells).
TableRun seedOf(TableRun r, const std::string& group, std::int64_t seed, std::int64_t id) {
    r.name = group + " seed=" + std::to_string(seed);
    r.results.file = r.name;
    r.groupKey = group;
    r.seed = seed;
    r.id = id;
    r.steps = 100;
    return r;
}

QString md(const Table& t) { return QString::fromStdString(formatTable(t, TableFormat::Markdown)); }

} // namespace

class TestTables : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formatsEscapeAndEmphasise() {
        Table t;
        t.caption = "A & B";
        t.header = {"Name", "x_1"};
        t.rows = {{{"50% | a"}, {"0.5", true, true, "0.1"}}, {{"b"}, {"2"}}};
        t.rulesBefore = {1};
        // CSV: the spread in a column of its own, numbers only.
        QCOMPARE(QString::fromStdString(formatTable(t, TableFormat::Csv)), QString("Name,x_1,x_1 std\n50% | a,0.5,0.1\nb,2,\n"));
        QCOMPARE(md(t), QString("A & B\n\n| Name | x_1 |\n| :--- | ---: |\n| 50% \\| a | **0.5±0.1** □ |\n| b | 2 |\n"));
        QCOMPARE(QString::fromStdString(formatTable(t, TableFormat::Latex)),
                 QString("% needs \\usepackage{booktabs} and \\usepackage{amssymb}\n\\begin{table}[t]\n\\centering\n"
                         "\\caption{A \\& B}\n\\begin{tabular}{lr}\n\\toprule\nName & x\\_1 \\\\\n\\midrule\n"
                         "50\\% | a & \\textbf{0.5$\\pm$0.1} $\\square$ \\\\\n\\midrule\nb & 2 \\\\\n"
                         "\\bottomrule\n\\end{tabular}\n\\end{table}\n"));
        Table quoted;
        quoted.header = {"a,b"};
        quoted.rows = {{{"say \"hi\""}}};
        QCOMPARE(QString::fromStdString(formatTable(quoted, TableFormat::Csv)), QString("\"a,b\"\n\"say \"\"hi\"\"\"\n"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseTableFormat("html"));
        QCOMPARE(int(parseTableFormat("markdown")), int(TableFormat::Markdown));
        t.rows.push_back({{"short"}});
        QVERIFY_THROWS_EXCEPTION(Error, formatTable(t, TableFormat::Csv));
    }

    void perClassTableHasSharesBestAndMeanStd() {
        const std::vector<TableRun> runs{segRun("base", "supervised", "implicit", {0.5, 0.25, std::nullopt}, 0.375, 0.125),
                                         segRun("fm", "fixmatch", "explicit", {0.75, 0.25, std::nullopt}, 0.5, 0.25)};
        const Table t = perClassTable(runs, Task::Segmentation, {60, 30, 10});
        QCOMPARE(md(t), QString("Class-wise segmentation IoU, mean IoU and standard deviation across classes.\n\n"
                                "| Method | Run | road | wall | sky | mIoU |\n"
                                "| :--- | :--- | ---: | ---: | ---: | ---: |\n"
                                "| % pixels |  | 60.00 | 30.00 | 10.00 |  |\n"
                                "| Supervised | base | 0.500 | **0.250** | – | 0.375±0.125 |\n"
                                "| FixMatch* (E) | fm | **0.750** | **0.250** | – | **0.500±0.250** |\n"));
        const std::string csvText = formatTable(t, TableFormat::Csv);
        QCOMPARE(QString::fromStdString(csvText),
                 QString("Method,Run,road,wall,sky,mIoU,mIoU std\n% pixels,,60.00,30.00,10.00,,\nSupervised,base,0.500,0.250,,0.375,0.125\n"
                         "FixMatch* (E),fm,0.750,0.250,,0.500,0.250\n"));
        // Every CSV cell after the two label columns is a number or empty.
        const QStringList lines = QString::fromStdString(csvText).split('\n', Qt::SkipEmptyParts);
        for (int l = 1; l < lines.size(); ++l)
            for (const QString& cell : lines[l].split(',').mid(2)) {
                bool number = false;
                cell.toDouble(&number);
                QVERIFY2(cell.isEmpty() || number, qPrintable(lines[l]));
            }
        // Without shares; two runs with one label are told apart by their Run cell ("id name").
        TableRun numbered = runs[0];
        numbered.id = 7;
        numbered.groupKey = numbered.results.file = "base, again";
        const Table same = perClassTable({runs[0], numbered}, Task::Segmentation, {});
        QCOMPARE(QString::fromStdString(same.rows[0][0].text), QString("Supervised"));
        QCOMPARE(QString::fromStdString(same.rows[0][1].text), QString("base"));
        QCOMPARE(QString::fromStdString(same.rows[1][1].text), QString("7 base"));
        QCOMPARE(same.rows.size(), std::size_t(2));
        QVERIFY(same.rulesBefore.empty());
        // A run without the task, or with other classes, is named.
        QVERIFY_THROWS_EXCEPTION(InputError, perClassTable(runs, Task::Detection, {}));
        TableRun other = runs[1];
        other.results.classes.seg[2] = "car";
        QVERIFY_THROWS_EXCEPTION(InputError, perClassTable({runs[0], other}, Task::Segmentation, {}));
    }

    void seedGroupsAreOneRowWithMeanStdAndN() {
        // Three seeds of one experiment, one of them trained longer: one row, mean ± sample std (n).
        const TableRun base = segRun("x", "supervised", "implicit", {}, 0, 0);
        std::vector<TableRun> runs;
        const std::vector<std::vector<std::optional<double>>> iou{{0.5, 0.2, std::nullopt},
                                                                  {0.6, std::nullopt, std::nullopt},
                                                                  {0.7, 0.4, std::nullopt}};
        const double mIoU[] = {0.35, 0.6, 0.55};
        for (int s = 0; s < 3; ++s) {
            TableRun r = seedOf(base, "sweep", s, 11 + s);
            r.results.report.segIoU = iou[s];
            r.results.report.mIoU = mIoU[s];
            runs.push_back(r);
        }
        runs[2].steps = 200;
        runs.push_back(segRun("alone", "fixmatch", "explicit", {0.8, 0.1, std::nullopt}, 0.45, 0.35));
        const Table t = perClassTable(runs, Task::Segmentation, {});
        QCOMPARE(t.rows.size(), std::size_t(2));
        // road: 0.6 ± 0.1; wall: (0.2, 0.4) -> 0.3 ± 0.1414 over n = 2; mIoU: 0.5 ± sqrt(0.0175).
        QCOMPARE(md(t).mid(md(t).indexOf("| Method")),
                 QString("| Method | Run | road | wall | sky | mIoU |\n"
                         "| :--- | :--- | ---: | ---: | ---: | ---: |\n"
                         "| Supervised | 11 12 13 sweep (steps 100, 100, 200) | 0.600±0.100 (n=3) | **0.300±0.141 (n=2)** | – | "
                         "**0.500±0.132 (n=3)** |\n"
                         "| FixMatch* (E) | alone | **0.800** | 0.100 | – | 0.450±0.350 |\n"));
        QVERIFY(QString::fromStdString(t.caption).contains("mean over the seeds"));
        QCOMPARE(QString::fromStdString(formatTable(t, TableFormat::Csv)).section('\n', 0, 2),
                 QString("Method,Run,road,road std,road n,wall,wall std,wall n,sky,mIoU,mIoU std,mIoU n\n"
                         "Supervised,\"11 12 13 sweep (steps 100, 100, 200)\",0.600,0.100,3,0.300,0.141,2,,0.500,0.132,3\n"
                         "FixMatch* (E),alone,0.800,,,0.100,,,,0.450,0.350,"));

        // The grid: one cell per seed group, best and □ by the mean.
        std::vector<TableRun> grid;
        const double supIoU[] = {0.40, 0.42, 0.47}, supAP[] = {0.20, 0.22, 0.24}, fmAP[] = {0.1, 0.2, 0.3};
        for (int s = 0; s < 3; ++s) {
            grid.push_back(seedOf(gridRun("", "supervised", "implicit", "multi", "a", 4, supIoU[s], supAP[s]), "sup", s, 1 + s));
            grid.push_back(seedOf(gridRun("", "fixmatch", "explicit", "multi", "a", 4, 0.45, fmAP[s]), "fm", s, 4 + s));
        }
        const QString text = md(summaryGrid(grid));
        // Geometric means: supervised (√.08 + √.0924 + √.1128) / 3 = 0.3076 > FixMatch* 0.2932.
        QCOMPARE(text.mid(text.indexOf("| Setting")),
                 QString("| Setting | Method | Sampling | Task | 4 |\n"
                         "| :--- | :--- | :--- | :--- | ---: |\n"
                         "| (a) | Supervised | Uniform | Detection | **0.2200±0.0200 (n=3)** □ |\n"
                         "| (a) | Supervised | Uniform | Segmentation | 0.4300±0.0361 (n=3) □ |\n"
                         "| (a) | FixMatch* | Explicit | Detection | 0.2000±0.1000 (n=3) |\n"
                         "| (a) | FixMatch* | Explicit | Segmentation | **0.4500±0.0000 (n=3)** |\n"));

        // A run given twice, or runs of two data sets, are refused by name.
        auto message = [](const std::function<void()>& f) {
            try {
                f();
            } catch (const InputError& e) {
                return QString(e.what());
            }
            return QString();
        };
        QVERIFY(message([&] { summaryGrid({grid[0], grid[0]}); }).contains("'sup seed=0' (sup seed=0) is given twice"));
        TableRun elsewhere = grid[1];
        elsewhere.dataset = "cityscapes:/data/cs, split val";
        QCOMPARE(message([&] { summaryGrid({grid[0], elsewhere}); }),
                 QString("runs 'sup seed=0' (synthetic, split val) and 'fm seed=0' (cityscapes:/data/cs, split val) "
                         "were validated on different data sets"));
    }

    void summaryGridRowsColumnsBoldAndMarker() {
        const std::vector<TableRun> runs{gridRun("S4", "supervised", "implicit", "multi", "a", 4, 0.4, 0.2),
                                         gridRun("F4", "fixmatch", "explicit", "multi", "a", 4, 0.5, 0.1),
                                         gridRun("S2", "supervised", "implicit", "multi", "a", 2, 0.3, 0.3),
                                         gridRun("T2", "supervised", "implicit", "seg", "b", 2, 0.35, kNaN)};
        const Table t = summaryGrid(runs);
        const QString text = md(t);
        const QString table = text.mid(text.indexOf("| Setting"));
        // Single-task first; (a): S4 has the higher geometric mean in column 4 (√0.08 > √0.05).
        QCOMPARE(table, QString("| Setting | Method | Sampling | Task | 2 | 4 |\n"
                                "| :--- | :--- | :--- | :--- | ---: | ---: |\n"
                                "| Single-task | Supervised | Uniform | Segmentation | 0.3500 |  |\n"
                                "| (a) | Supervised | Uniform | Detection | 0.3000 | **0.2000** □ |\n"
                                "| (a) | Supervised | Uniform | Segmentation | 0.3000 | 0.4000 □ |\n"
                                "| (a) | FixMatch* | Explicit | Detection |  | 0.1000 |\n"
                                "| (a) | FixMatch* | Explicit | Segmentation |  | **0.5000** |\n"));
        QCOMPARE(t.rulesBefore, (std::vector<std::size_t>{1}));

        // Columns of settings (d)/(e) pair the counts; runs on disk labels show their splits.
        TableRun d = gridRun("D", "supervised", "implicit", "multi", "d", 3, 0.2, 0.2);
        TableRun disk = gridRun("all", "supervised", "implicit", "multi", "none", 0, 0.2, 0.2);
        disk.trainSplits = "train+train_extra";
        const Table mixed = summaryGrid({disk, d});
        QCOMPARE(mixed.header, (std::vector<std::string>{"Setting", "Method", "Sampling", "Task", "3/8", "train+train_extra"}));

        TableRun twin = runs[0];
        twin.name = twin.groupKey = twin.results.file = "S4 with another lr";
        const QString clash = [&] {
            try {
                summaryGrid({runs[0], twin});
            } catch (const InputError& e) {
                return QString(e.what());
            }
            return QString();
        }();
        QVERIFY2(clash.contains("'S4' and 'S4 with another lr' fill the same cell"), qPrintable(clash));
    }

    void tableRunReadsMethodSplitAndResults() {
        namespace fs = std::filesystem;
        const fs::path dir = fs::temp_directory_path() / ("tst_tables." + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::ofstream(dir / "best.json") << R"({"step": 5, "images": 2, "mIoU": 0.5, "mIoU_std": 0.1, "mAP": 0.25,
            "mAP_std": 0.05, "AP50": 0.5, "AP75": 0.2, "geometric_mean": 0.3535,
            "seg_per_class": {"sky": 0.5, "road": null}, "det_per_class": {"car": 0.25}})";
        StoredRun folder;
        folder.dir = dir.string();
        folder.name = "ssl-run";
        folder.config.model.tasks = TaskSet::Multi;
        folder.config.train.sampling = Sampling::Explicit;
        folder.configYaml = "name: ssl-run\ntrain:\n  method: fixmatch\n  sampling: explicit\n";
        folder.config.train.method = LearningMethod::named("fixmatch");
        folder.splitJson = R"({"setting": "d", "counts": {"det": 12, "seg": 3}})";
        const TableRun r = tableRunFrom(folder);
        QCOMPARE(QString::fromStdString(r.method.name()), QString("fixmatch"));
        QCOMPARE(QString::fromStdString(methodLabel(r)), QString("FixMatch* (E)"));
        QCOMPARE(QString::fromStdString(r.setting), QString("d"));
        QCOMPARE(*r.segLabels, std::size_t(3));
        QCOMPARE(*r.detLabels, std::size_t(12));
        QCOMPARE(r.results.classes.seg, (std::vector<std::string>{"sky", "road"}));
        QCOMPARE(r.results.report.step, std::int64_t(5));
        QCOMPARE(QString::fromStdString(r.dataset),
                 QString("synthetic 256x128-train200-val40-seed0-v%1, split val").arg(kSyntheticGeneratorVersion));
        // Another seed (named by its sweep, trained longer) is in the same seed group; another lr is not.
        StoredRun seed3 = folder;
        seed3.config.seed = 3;
        seed3.config.name = "ssl-run seed=3";
        seed3.config.train.steps = 4000;
        QCOMPARE(tableRunFrom(seed3).groupKey, r.groupKey);
        QCOMPARE(tableRunFrom(seed3).steps, 4000);
        StoredRun otherLr = folder;
        otherLr.config.train.lr = 0.5;
        QVERIFY(tableRunFrom(otherLr).groupKey != r.groupKey);
        // Issue 35's controls are named in the row and make groups of their own; a burn-in's seeds,
        // each from its own checkpoint, stay one group.
        StoredRun oracle = folder;
        oracle.config.train.pseudoSource = PseudoSource::Oracle;
        oracle.config.train.unsupWeight = 0;
        QCOMPARE(QString::fromStdString(methodLabel(tableRunFrom(oracle))), QString("FixMatch* [oracle, \u03bb max 0] (E)"));
        QVERIFY(tableRunFrom(oracle).groupKey != r.groupKey);
        // A row that trains on unflipped views says so: FixMatch*'s weak view (augment.flip), a
        // supervised run's loader images (train.hflip) or its weak view.
        StoredRun unflipped = folder;
        unflipped.config.augment.flip = false;
        QCOMPARE(QString::fromStdString(methodLabel(tableRunFrom(unflipped))), QString("FixMatch* [no flip] (E)"));
        StoredRun supervised = folder;
        supervised.config.train.method = LearningMethod();
        supervised.config.train.hflip = false;
        QCOMPARE(QString::fromStdString(methodLabel(tableRunFrom(supervised))), QString("Supervised [no flip]"));
        supervised.config.train.supervisedViews = SupervisedViews::Weak; // then augment.flip (true) counts
        QCOMPARE(QString::fromStdString(methodLabel(tableRunFrom(supervised))), QString("Supervised"));
        StoredRun burnIn = folder, burnIn3 = seed3;
        burnIn.config.train.initFrom = "/runs/1-sup/best.pt";
        burnIn3.config.train.initFrom = "/runs/2-sup seed=3/best.pt";
        QCOMPARE(tableRunFrom(burnIn3).groupKey, tableRunFrom(burnIn).groupKey);
        QVERIFY(tableRunFrom(burnIn).groupKey != r.groupKey);
        QCOMPARE(QString::fromStdString(seedGroupName("t seed=1 lr=2", 1)), QString("t lr=2"));
        QCOMPARE(QString::fromStdString(seedGroupName("t seed=12", 1)), QString("t seed=12"));
        QCOMPARE(groupByKey({"a", "b", "a", "c", "b"}),
                 (std::vector<std::vector<std::size_t>>{{0, 2}, {1, 4}, {3}}));

        folder.configYaml = "name: plain\n"; // no train.method: supervised
        folder.config.train.method = LearningMethod();
        folder.splitJson.clear();
        QCOMPARE(QString::fromStdString(tableRunFrom(folder).method.name()), QString("supervised"));
        folder.splitJson = "{\"setting\": 4}";
        QVERIFY_THROWS_EXCEPTION(InputError, tableRunFrom(folder));
        fs::remove(dir / "best.json");
        folder.splitJson.clear();
        QVERIFY_THROWS_EXCEPTION(InputError, tableRunFrom(folder)); // never validated
        fs::remove_all(dir);
    }
};

QTEST_GUILESS_MAIN(TestTables)
#include "tst_tables.moc"
