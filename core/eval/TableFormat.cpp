#include "core/eval/TableFormat.h"

#include "core/common/Error.h"

#include <algorithm>

namespace mtl {
namespace {

constexpr const char* kMarker = "\u25a1"; // □
constexpr const char* kPlusMinus = "\u00b1"; // ±

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    return "\"" + replaceAll(s, "\"", "\"\"") + "\"";
}

std::string markdownText(const TableCell& c) {
    std::string t = replaceAll(displayText(c), "|", "\\|");
    if (c.bold && !t.empty()) t = "**" + t + "**";
    if (c.marked) t += std::string(" ") + kMarker;
    return t;
}

std::string latexEscape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
        case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += '\\'; out += ch; break;
        case '~': out += "\\textasciitilde{}"; break;
        case '^': out += "\\textasciicircum{}"; break;
        case '\\': out += "\\textbackslash{}"; break;
        default: out += ch;
        }
    }
    return replaceAll(replaceAll(out, kPlusMinus, "$\\pm$"), kMarker, "$\\square$");
}

std::string latexText(const TableCell& c) {
    std::string t = latexEscape(displayText(c));
    if (c.bold && !t.empty()) t = "\\textbf{" + t + "}";
    if (c.marked) t += " $\\square$";
    return t;
}

bool startsBlock(const Table& t, std::size_t row) {
    return row > 0 && std::find(t.rulesBefore.begin(), t.rulesBefore.end(), row) != t.rulesBefore.end();
}

std::string csv(const Table& t) {
    // A column whose cells carry a spread is followed by a "<column> std" column holding it, and
    // one whose cells carry a count by a "<column> n" column.
    std::vector<bool> spreadColumn(t.header.size(), false), countColumn(t.header.size(), false);
    for (const auto& row : t.rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            spreadColumn[c] = spreadColumn[c] || !row[c].spread.empty();
            countColumn[c] = countColumn[c] || row[c].count > 0;
        }
    std::string out;
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        out += (c ? "," : "") + csvField(t.header[c]);
        if (spreadColumn[c]) out += "," + csvField(t.header[c] + " std");
        if (countColumn[c]) out += "," + csvField(t.header[c] + " n");
    }
    out += "\n";
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            out += (c ? "," : "") + csvField(row[c].text == kNoValue ? std::string() : row[c].text);
            if (spreadColumn[c]) out += "," + csvField(row[c].spread);
            if (countColumn[c]) out += "," + (row[c].count > 0 ? std::to_string(row[c].count) : std::string());
        }
        out += "\n";
    }
    return out;
}

std::string markdown(const Table& t) {
    std::string out;
    if (!t.caption.empty()) out += t.caption + "\n\n";
    out += "|";
    for (const auto& h : t.header) out += " " + replaceAll(h, "|", "\\|") + " |";
    out += "\n|";
    for (std::size_t c = 0; c < t.header.size(); ++c) out += c < t.labelColumns ? " :--- |" : " ---: |";
    out += "\n";
    for (const auto& row : t.rows) {
        out += "|";
        for (const auto& cell : row) out += " " + markdownText(cell) + " |";
        out += "\n";
    }
    return out;
}

std::string latex(const Table& t) {
    std::string spec;
    for (std::size_t c = 0; c < t.header.size(); ++c) spec += c < t.labelColumns ? 'l' : 'r';
    std::string out = "% needs \\usepackage{booktabs} and \\usepackage{amssymb}\n\\begin{table}[t]\n\\centering\n";
    if (!t.caption.empty()) out += "\\caption{" + latexEscape(t.caption) + "}\n";
    out += "\\begin{tabular}{" + spec + "}\n\\toprule\n";
    for (std::size_t c = 0; c < t.header.size(); ++c) out += (c ? " & " : "") + latexEscape(t.header[c]);
    out += " \\\\\n\\midrule\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (startsBlock(t, r)) out += "\\midrule\n";
        for (std::size_t c = 0; c < t.rows[r].size(); ++c) out += (c ? " & " : "") + latexText(t.rows[r][c]);
        out += " \\\\\n";
    }
    out += "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
    return out;
}

} // namespace

TableFormat parseTableFormat(const std::string& name) {
    if (name == "csv") return TableFormat::Csv;
    if (name == "md" || name == "markdown") return TableFormat::Markdown;
    if (name == "latex") return TableFormat::Latex;
    throw InputError("table format '" + name + "': use csv, md or latex");
}

std::string displayText(const TableCell& c) {
    std::string t = c.spread.empty() ? c.text : c.text + kPlusMinus + c.spread;
    if (c.count > 0) t += " (n=" + std::to_string(c.count) + ")";
    return t;
}

std::string formatTable(const Table& table, TableFormat format) {
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        if (table.rows[r].size() != table.header.size())
            throw Error("formatTable: row " + std::to_string(r) + " has " + std::to_string(table.rows[r].size()) +
                        " cells for " + std::to_string(table.header.size()) + " columns");
    switch (format) {
    case TableFormat::Csv: return csv(table);
    case TableFormat::Markdown: return markdown(table);
    case TableFormat::Latex: return latex(table);
    }
    return {};
}

} // namespace mtl
