#pragma once
// The paper's tables of the selected runs, as `mtlw table` makes them (core PaperTable): the
// summary grid (method × sampling × task by label counts) or per-class IoU / AP tables, best values
// in bold and □ on the best geometric mean, or the first run's confusion matrix as a row-normalised
// heat map; exported as CSV, Markdown or LaTeX (core TableFormat)
// or copied to the clipboard.
#include "core/eval/PaperTable.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QTableWidget;

class TablesWidget : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Summary, SegmentationClasses, DetectionClasses, Confusion };
    explicit TablesWidget(QWidget* parent = nullptr);

    // The runs' stored results (read by the caller, off the GUI thread); rebuilds the table shown.
    // `shares`: the "% pixels" / "% objects" row (empty vectors: none). `skipped`: why selected runs
    // are not in it (no results yet, unreadable folder), shown beside it.
    // `sharesNote`: why the per-class tables have no shares row (shown with their caption).
    void setRuns(std::vector<mtl::TableRun> runs, mtl::ClassShares shares = {}, QStringList skipped = {},
                 QString sharesNote = {});
    // The first run's segmentation confusion matrix (core confusionTable), drawn as a heat map;
    // `note` says why there is none (a run trained before per-image results were kept).
    void setConfusion(mtl::Table table, QString note);
    void setKind(Kind kind);
    // Shows a table made elsewhere (what setRuns does with the table it builds).
    void setTable(const mtl::Table& table);
    const mtl::Table& table() const { return table_; }
    QTableWidget* view() const { return view_; }
    QString exported(mtl::TableFormat format) const; // what Export and Copy write
    bool exportTo(const QString& path);              // format by suffix: .csv, .md, .tex
    void copyToClipboard(mtl::TableFormat format) const;

private:
    void rebuild();

    std::vector<mtl::TableRun> runs_;
    QString sharesNote_;
    mtl::ClassShares shares_;
    QStringList skipped_;
    Kind kind_ = Kind::Summary;
    mtl::Table table_;
    mtl::Table confusion_;
    QString confusionNote_;
    QComboBox* kindChoice_;
    QTableWidget* view_;
    QLabel* message_;
};
