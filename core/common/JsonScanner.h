#pragma once
// A forward-only reader of JSON text for large, regular files on hot paths (COCO ground truth and
// results lists, read by `mtlw score-det` in loops over hundreds of files). It reports no errors:
// anything it does not expect — a syntax error, a string with escapes, a number out of range — sets
// failed(), and the caller then reads the file with the DOM reader (JsonSupport), whose messages
// name the file and the JSON path. So it must only be exact on the inputs it accepts.
#include <cstdint>
#include <string_view>

namespace mtl {

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    bool failed() const { return failed_; }
    // Skips white space; consumes `c` and returns true when it comes next (false, not a failure,
    // when something else does).
    bool consume(char c);
    // Consumes `c` or fails.
    bool expect(char c);
    // An object key: a string without escapes, then ':'.
    bool key(std::string_view& out);
    // A string without escapes (which the DOM reader decodes).
    bool string(std::string_view& out);
    // A JSON number without fraction or exponent that fits in 64 signed bits.
    bool integer(std::int64_t& out);
    // Any JSON number, converted as strtod does (correctly rounded); a value out of the double
    // range fails.
    bool number(double& out);
    // true or false.
    bool boolean(bool& out);
    // Any value, nested ones included.
    bool skipValue();
    // Only white space is left.
    bool atEnd();
    // After a member or element: ',' (true, another follows) or `close` (false, done); anything
    // else fails.
    bool next(char close);

private:
    bool fail() {
        failed_ = true;
        p_ = end_;
        return false;
    }
    void skipSpace();
    bool numberToken(std::string_view& token, bool& integral);

    const char* p_;
    const char* end_;
    bool failed_ = false;
};

} // namespace mtl
