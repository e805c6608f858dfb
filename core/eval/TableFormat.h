#pragma once
// A table as the paper prints them, independent of the output format, and its three renderings:
// plain CSV (values only: bold and markers are left out, so that spreadsheets read numbers),
// GitHub Markdown (**bold**, □) and LaTeX with booktabs (\textbf, $\square$, ± as $\pm$). The GUI
// shows the same Table objects.
#include <cstddef>
#include <string>
#include <vector>

namespace mtl {

struct TableCell {
    std::string text;
    bool bold = false;   // best in its column
    bool marked = false; // □: the multi-task run with the highest geometric mean
};

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
