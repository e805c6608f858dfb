// The paper's tables from hand-made run results: per-class tables (Tables 5/6/8/9) and summary grids
// (Tables 1-4/7) in CSV, Markdown and LaTeX, checked line by line.
#include "core/common/Error.h"
#include "core/eval/PaperTable.h"

#include <QtTest>

#include <cmath>
#include <filesystem>
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

        const QString clash = [&] {
            try {
                summaryGrid({runs[0], runs[0]});
            } catch (const InputError& e) {
                return QString(e.what());
            }
            return QString();
        }();
        QVERIFY2(clash.contains("'S4' and 'S4'"), qPrintable(clash));
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
