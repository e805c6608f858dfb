#include "core/common/JsonSupport.h"

#include "core/common/Error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace mtl::jsonsupport {

namespace {

// nlohmann's messages start with an id such as "[json.exception.parse_error.101] ", which means
// nothing to a user; the rest ("parse error at line L, column C: ...") is kept.
std::string withoutId(std::string what) {
    const auto close = what.find("] ");
    if (!what.empty() && what[0] == '[' && close != std::string::npos)
        what.erase(0, close + 2);
    return what;
}

} // namespace

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open the file");
    std::string text;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        in.read(text.data(), size);
    }
    if (!in)
        throw InputError(path + ": cannot read the file");
    return text;
}

nlohmann::json parseText(const std::string& text, const std::string& path) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        const std::string what = withoutId(e.what());
        throw InputError(path + ": invalid JSON (byte " + std::to_string(e.byte) + "): " + what);
    } catch (const nlohmann::json::exception& e) {
        // Not a syntax error but still the file's fault, e.g. "number overflow parsing '1e999'".
        throw InputError(path + ": invalid JSON: " + withoutId(e.what()));
    }
}

nlohmann::json readFile(const std::string& path) { return parseText(readText(path), path); }

void Node::fail(const std::string& problem) const {
    throw InputError(file_ + ": " + (path_.empty() ? "top level" : path_) + ": " + problem);
}

const Node& Node::requireArray() const {
    if (!v_.is_array())
        fail(std::string("must be an array, got ") + v_.type_name());
    return *this;
}

const Node& Node::requireObject() const {
    if (!v_.is_object())
        fail(std::string("must be an object, got ") + v_.type_name());
    return *this;
}

Node Node::at(std::size_t index) const {
    return Node(v_[index], file_, path_ + "[" + std::to_string(index) + "]");
}

Node Node::key(const char* name) const {
    requireObject();
    const auto it = v_.find(name);
    if (it == v_.end())
        fail(std::string("missing key '") + name + "'");
    return Node(*it, file_, path_.empty() ? name : path_ + "." + name);
}

double Node::number() const {
    if (!v_.is_number())
        fail(std::string("must be a number, got ") + v_.type_name());
    const double v = v_.get<double>();
    // JSON has no NaN, but 1e999 parses to infinity.
    if (!std::isfinite(v))
        fail("must be a finite number");
    return v;
}

std::int64_t Node::integer() const {
    if (v_.is_number_unsigned() && v_.get<std::uint64_t>() > INT64_MAX)
        fail("integer too large");
    if (!v_.is_number_integer())
        fail(std::string("must be an integer, got ") + v_.type_name());
    return v_.get<std::int64_t>();
}

std::string Node::string() const {
    if (!v_.is_string())
        fail(std::string("must be a string, got ") + v_.type_name());
    return v_.get<std::string>();
}

double printable(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", v);
    return std::strtod(text, nullptr);
}

} // namespace mtl::jsonsupport
