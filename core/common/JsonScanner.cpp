#include "core/common/JsonScanner.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace mtl {
namespace {

// Printable ASCII: what a string may hold without the DOM reader's decoding or UTF-8 check.
bool plainCharacter(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x80;
}

} // namespace

void JsonScanner::skipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

bool JsonScanner::consume(char c) {
    skipSpace();
    if (p_ < end_ && *p_ == c) {
        ++p_;
        return true;
    }
    return false;
}

bool JsonScanner::expect(char c) { return consume(c) || fail(); }

bool JsonScanner::string(std::string_view& out) {
    if (!expect('"')) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"') {
        // Escapes go to the DOM reader (decoding), as do control characters and non-ASCII bytes
        // (its error, or its UTF-8 check).
        if (*p_ == '\\' || !plainCharacter(*p_)) return fail();
        ++p_;
    }
    if (p_ == end_) return fail();
    out = std::string_view(start, std::size_t(p_ - start));
    ++p_;
    return true;
}

bool JsonScanner::key(std::string_view& out) { return string(out) && expect(':'); }

// The JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool JsonScanner::numberToken(std::string_view& token, bool& integral) {
    skipSpace();
    const char* start = p_;
    const auto digits = [&] {
        const char* d = p_;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
        return p_ > d;
    };
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') ++p_;
    else if (!digits()) return fail();
    integral = true;
    if (p_ < end_ && *p_ == '.') {
        ++p_;
        integral = false;
        if (!digits()) return fail();
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
        ++p_;
        integral = false;
        if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
        if (!digits()) return fail();
    }
    token = std::string_view(start, std::size_t(p_ - start));
    return true;
}

bool JsonScanner::integer(std::int64_t& out) {
    std::string_view token;
    bool integral = false;
    if (!numberToken(token, integral)) return false;
    if (!integral) return fail();
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
    return (ec == std::errc() && end == token.data() + token.size()) || fail();
}

bool JsonScanner::number(double& out) {
    std::string_view token;
    bool integral = false;
    if (!numberToken(token, integral)) return false;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
    return (ec == std::errc() && end == token.data() + token.size() && std::isfinite(out)) || fail();
}

bool JsonScanner::boolean(bool& out) {
    skipSpace();
    const auto word = [&](const char* w) {
        const std::size_t n = std::strlen(w);
        if (std::size_t(end_ - p_) < n || std::memcmp(p_, w, n) != 0) return false;
        p_ += n;
        return true;
    };
    if (word("true")) out = true;
    else if (word("false")) out = false;
    else return fail();
    return true;
}

bool JsonScanner::skipValue() {
    skipSpace();
    if (p_ == end_) return fail();
    switch (*p_) {
    case '"': {
        // Escapes are skipped here, not decoded: the value is not used.
        ++p_;
        while (p_ < end_ && *p_ != '"') {
            if (!plainCharacter(*p_)) return fail();
            if (*p_ == '\\' && end_ - p_ < 2) return fail();
            p_ += *p_ == '\\' ? 2 : 1;
        }
        if (p_ == end_) return fail();
        ++p_;
        return true;
    }
    case '{': {
        ++p_;
        if (consume('}')) return true;
        do {
            std::string_view k;
            if (!key(k) || !skipValue()) return false;
        } while (next('}'));
        return !failed_;
    }
    case '[': {
        ++p_;
        if (consume(']')) return true;
        do {
            if (!skipValue()) return false;
        } while (next(']'));
        return !failed_;
    }
    case 't':
    case 'f': {
        bool b;
        return boolean(b);
    }
    case 'n':
        if (std::size_t(end_ - p_) >= 4 && std::memcmp(p_, "null", 4) == 0) {
            p_ += 4;
            return true;
        }
        return fail();
    default: {
        double d;
        return number(d);
    }
    }
}

bool JsonScanner::next(char close) {
    if (consume(',')) return true;
    if (!consume(close)) fail();
    return false;
}

bool JsonScanner::atEnd() {
    skipSpace();
    return p_ == end_ || fail();
}

} // namespace mtl
