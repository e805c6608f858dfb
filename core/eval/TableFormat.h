#pragma once
// A table as the paper prints them, independent of the output format, and its three renderings:
// plain CSV (numbers only: bold and markers are left out, a spread gets its own column and a
// missing value an empty cell, so that spreadsheets read every cell),
// GitHub Markdown (**bold**, □) and LaTeX with booktabs (\textbf, $\square$, ± as $\pm$). The GUI
// shows the same Table objects.
#include <cstddef>
#include <string>
#include <vector>

namespace mtl {

struct TableCell {
    std::string text;    // a number, a label, or kNoValue
    bool bold = false;   // best in its column
    bool marked = false; // □: the multi-task run with the highest geometric mean
    // The ± part of a "mean ± spread" value: shown after the text, and written by CSV in a column
    // of its own ("<column> std") so that every CSV cell is a number, a label or empty.
    std::string spread;
    // n of a mean over seeds (0: one run's value): shown as " (n=3)", and in CSV in a column of its
    // own ("<column> n").
    std::size_t count = 0;
    // 0..1: how strongly the GUI shades the cell (a heat map); negative: no shade. Text formats
    // leave it out.
    double heat = -1;
};
// What a cell without a value shows (Markdown, LaTeX, the GUI); CSV leaves it empty.
inline constexpr const char* kNoValue = "\u2013"; // –
// text ± spread (n=count), as the Markdown table and the GUI show a cell (without bold and □).
std::string displayText(const TableCell& cell);

struct Table {
    std::string caption;
    std::vector<std::string> header;
    std::vector<std::vector<TableCell>> rows; // each of header.size() cells
    std::size_t labelColumns = 1;             // leading text columns (left-aligned); the rest are numbers
    std::vector<std::size_t> rulesBefore;     // row indices that start a new block (a rule above them)
};

enum class TableFormat { Csv, Markdown, Latex };
// "csv", "md" (or "markdown"), "latex"; InputError naming the valid values otherwise.
TableFormat parseTableFormat(const std::string& name);
// Error when a row's cell count differs from the header's.
std::string formatTable(const Table& table, TableFormat format);

} // namespace mtl
