#pragma once
// Errors that reach the user. Every error names the file and the place (line/column, image id, ...)
// in its message, so that the command line and the GUI can show it as is.
#include <stdexcept>
#include <string>

namespace mtl {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad user input (config, data set, command-line arguments): `mtlw` exits with code 2.
class InputError : public Error {
public:
    using Error::Error;
};

// A config problem at FILE:LINE:COLUMN (1-based, as editors show them).
class ConfigError : public InputError {
public:
    ConfigError(const std::string& file, int line, int column, const std::string& what)
        : InputError(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what),
          file_(file), line_(line), column_(column) {}
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }

private:
    std::string file_;
    int line_;
    int column_;
};

// A data set problem: message names the file (and image id where there is one).
class DataError : public InputError {
public:
    using InputError::InputError;
};

} // namespace mtl
