#include "ArgParser.h"

#include <cmath>
#include <iostream>
#include <sstream>

namespace mtlw {

ArgParser::ArgParser(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

ArgParser& ArgParser::option(const std::string& name, const std::string& valueName,
                             const std::string& help, const std::string& defaultValue) {
    options_.push_back({name, valueName, help, defaultValue, false});
    return *this;
}

ArgParser& ArgParser::flag(const std::string& name, const std::string& help) {
    options_.push_back({name, "", help, "", true});
    return *this;
}

ArgParser& ArgParser::positional(const std::string& name, const std::string& help) {
    positionals_.push_back({name, name, help, "", false});
    return *this;
}

ArgParser& ArgParser::repeatedPositional(const std::string& name, const std::string& help) {
    positional(name, help);
    repeatedLast_ = true;
    return *this;
}

bool ArgParser::parse(const std::vector<std::string>& args) {
    std::size_t nextPositional = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "--help" || arg == "-h") return false;
        if (arg.rfind("--", 0) == 0) {
            std::string name = arg.substr(2), inlineValue;
            const bool hasInline = name.find('=') != std::string::npos;
            if (hasInline) {
                inlineValue = name.substr(name.find('=') + 1);
                name = name.substr(0, name.find('='));
            }
            const Spec* spec = nullptr;
            for (const auto& o : options_)
                if (o.name == name) spec = &o;
            if (!spec) throw UsageError("unknown option '--" + name + "'");
            if (spec->isFlag) {
                if (hasInline) throw UsageError("option '--" + name + "' takes no value");
                values_[name] = "1";
            } else if (hasInline) {
                values_[name] = inlineValue;
            } else {
                if (i + 1 >= args.size()) throw UsageError("option '--" + name + "' needs a value " + spec->valueName);
                values_[name] = args[++i];
            }
        } else if (nextPositional < positionals_.size()) {
            values_[positionals_[nextPositional++].name] = arg;
            if (nextPositional == positionals_.size() && repeatedLast_) repeatedValues_.push_back(arg);
        } else if (repeatedLast_) {
            repeatedValues_.push_back(arg);
        } else {
            throw UsageError("unexpected argument '" + arg + "'");
        }
    }
    if (nextPositional < positionals_.size())
        throw UsageError("missing argument " + positionals_[nextPositional].name);
    return true;
}

std::optional<int> ArgParser::parseOrExit(const std::vector<std::string>& args) {
    try {
        if (parse(args)) return std::nullopt;
        std::cout << help();
        return 0;
    } catch (const UsageError& e) {
        std::cerr << "mtlw " << command_ << ": " << e.what() << "\n" << usage() << "\n";
        return 2;
    }
}

std::string ArgParser::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it != values_.end()) return it->second;
    for (const auto& o : options_)
        if (o.name == name) return o.defaultValue;
    return {};
}

bool ArgParser::has(const std::string& name) const { return values_.count(name) > 0; }
bool ArgParser::isSet(const std::string& flagName) const { return has(flagName); }

long long ArgParser::integer(const std::string& name, long long lo, long long hi) const {
    const std::string text = value(name);
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size())
        throw UsageError("option '--" + name + "' needs an integer, got '" + text + "'");
    if (v < lo || v > hi)
        throw UsageError("option '--" + name + "' must be in [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "], got " + text);
    return v;
}

double ArgParser::number(const std::string& name) const {
    const std::string text = value(name);
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(v))
        throw UsageError("option '--" + name + "' needs a number, got '" + text + "'");
    return v;
}

std::string ArgParser::usage() const {
    std::string u = "usage: mtlw " + command_;
    if (!options_.empty()) u += " [options]";
    for (const auto& p : positionals_) u += " " + p.name;
    if (repeatedLast_) u += "...";
    return u;
}

std::string ArgParser::help() const {
    std::ostringstream out;
    out << usage() << "\n\n" << summary_ << "\n";
    if (!positionals_.empty()) {
        out << "\narguments:\n";
        for (const auto& p : positionals_) out << "  " << p.name << "\n      " << p.help << "\n";
    }
    out << "\noptions:\n";
    for (const auto& o : options_) {
        out << "  --" << o.name << (o.isFlag ? "" : " " + o.valueName) << "\n      " << o.help;
        if (!o.defaultValue.empty()) out << " (default: " << o.defaultValue << ")";
        out << "\n";
    }
    out << "  --help\n      show this help and exit\n";
    return out.str();
}

} // namespace mtlw
