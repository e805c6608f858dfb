#pragma once
// A small declarative option parser: each subcommand declares its options once, and the same
// declaration drives parsing, validation and --help.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mtlw {

// Wrong usage: printed with the command's usage line, exit code 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ArgParser {
public:
    ArgParser(std::string command, std::string summary);
    ArgParser& option(const std::string& name, const std::string& valueName, const std::string& help,
                      const std::string& defaultValue = {});
    ArgParser& flag(const std::string& name, const std::string& help);
    ArgParser& positional(const std::string& name, const std::string& help);
    // The last positional, taking one or more values (values() returns them all).
    ArgParser& repeatedPositional(const std::string& name, const std::string& help);

    // Returns false when --help was given (the help text is then in help()).
    bool parse(const std::vector<std::string>& args);
    // parse() for a subcommand's main: nullopt to go on, else the exit code to return — 0 after
    // printing --help, 2 after printing a usage error.
    std::optional<int> parseOrExit(const std::vector<std::string>& args);

    std::string value(const std::string& name) const;       // option or positional
    const std::vector<std::string>& repeatedValues() const { return repeatedValues_; }
    bool has(const std::string& name) const;                // given on the command line
    bool isSet(const std::string& flagName) const;
    long long integer(const std::string& name, long long lo, long long hi) const;
    double number(const std::string& name) const; // any finite number; range checks are the caller's
    std::string usage() const;
    std::string help() const;

private:
    struct Spec {
        std::string name, valueName, help, defaultValue;
        bool isFlag = false;
    };
    std::string command_, summary_;
    std::vector<Spec> options_;
    std::vector<Spec> positionals_;
    std::map<std::string, std::string> values_;
    bool repeatedLast_ = false;
    std::vector<std::string> repeatedValues_;
};

} // namespace mtlw
