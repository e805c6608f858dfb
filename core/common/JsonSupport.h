#pragma once
// Internal to core: reading JSON files with errors that name the file and the JSON path, and
// printing scores. Not for the GUI or mtlw, which only see strings.
#include <nlohmann/json.hpp>

#include <string>

namespace mtl::jsonsupport {

// Parses the whole file; a missing file or malformed JSON is an InputError naming the file (and,
// for malformed JSON, the line, column and byte offset where nlohmann reports them).
nlohmann::json readFile(const std::string& path);
// The same in two steps, for readers that first try a faster path over the text (JsonScanner).
std::string readText(const std::string& path); // InputError naming the file when it cannot be read
nlohmann::json parseText(const std::string& text, const std::string& path);

// A value in a JSON file together with where it is, so errors read "FILE: PATH: problem".
class Node {
public:
    Node(const nlohmann::json& value, const std::string& file, std::string path)
        : v_(value), file_(file), path_(std::move(path)) {}
    [[noreturn]] void fail(const std::string& problem) const;
    const nlohmann::json& json() const { return v_; }
    const std::string& path() const { return path_; }

    const Node& requireArray() const;
    const Node& requireObject() const;
    std::size_t size() const { return v_.size(); }
    Node at(std::size_t index) const;          // array element
    Node key(const char* name) const;          // object member; missing is an error
    bool hasKey(const char* name) const { return v_.contains(name); }
    double number() const;                     // finite number
    std::int64_t integer() const;
    std::string string() const;

private:
    const nlohmann::json& v_;
    const std::string& file_;
    std::string path_;
};

// Rounds to 15 significant digits: AP divides by tp + fp + DBL_EPSILON, so a perfect score is
// 1 - 2e-16; printed shortest-round-trip it would read 0.9999999999999998.
double printable(double v);

} // namespace mtl::jsonsupport
