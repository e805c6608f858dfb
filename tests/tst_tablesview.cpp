// The tables tab: a paper table shown with its bold and marked cells, exported as CSV, Markdown and
// LaTeX exactly as core's formatter writes them, copied to the clipboard.
#include "core/eval/TableFormat.h"
#include "widgets/TablesWidget.h"

#include <QApplication>
#include <QClipboard>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

class TestTablesView : public QObject {
    Q_OBJECT
    static mtl::Table sample() {
        mtl::Table t;
        t.caption = "mIoU";
        t.header = {"Method", "93"};
        t.rows = {{{"Supervised"}, {"50.0", true, false}}, {{"DenseFixMatch"}, {"48.0", false, true}}};
        return t;
    }

private Q_SLOTS:
    void showsBoldAndMarkedCells() {
        TablesWidget w;
        w.setTable(sample());
        QCOMPARE(w.view()->rowCount(), 2);
        QCOMPARE(w.view()->columnCount(), 2);
        QCOMPARE(w.view()->horizontalHeaderItem(1)->text(), QString("93"));
        QVERIFY(w.view()->item(0, 1)->font().bold());
        QVERIFY(!w.view()->item(1, 1)->font().bold());
        QCOMPARE(w.view()->item(1, 1)->text(), QString("48.0 □"));
        QCOMPARE(w.view()->item(0, 1)->textAlignment(), int(Qt::AlignRight | Qt::AlignVCenter));
    }

    void exportsWhatTheFormatterWrites() {
        TablesWidget w;
        w.setTable(sample());
        QCOMPARE(w.exported(mtl::TableFormat::Csv), QString("Method,93\nSupervised,50.0\nDenseFixMatch,48.0\n"));
        QCOMPARE(w.exported(mtl::TableFormat::Markdown),
                 QString("mIoU\n\n| Method | 93 |\n| :--- | ---: |\n| Supervised | **50.0** |\n| DenseFixMatch | 48.0 □ |\n"));
        QVERIFY(w.exported(mtl::TableFormat::Latex).contains("Supervised & \\textbf{50.0} \\\\"));
        QTemporaryDir dir;
        for (const char* name : {"t.csv", "t.md", "t.tex"}) QVERIFY2(w.exportTo(dir.filePath(name)), name);
        QFile md(dir.filePath("t.md"));
        QVERIFY(md.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(md.readAll()), w.exported(mtl::TableFormat::Markdown));
        QVERIFY(!w.exportTo(dir.filePath("t.docx")));
        w.copyToClipboard(mtl::TableFormat::Csv);
        QCOMPARE(QApplication::clipboard()->text(), w.exported(mtl::TableFormat::Csv));
    }

    void noRunsNoTable() {
        TablesWidget w;
        w.setRuns({});
        QCOMPARE(w.view()->rowCount(), 0);
        QCOMPARE(w.exported(mtl::TableFormat::Csv), QString("\n"));
    }
};

QTEST_MAIN(TestTablesView)
#include "tst_tablesview.moc"
