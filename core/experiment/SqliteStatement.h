#pragma once
// Thin RAII helpers over the SQLite C API for the registry. Every failure throws mtl::Error that
// names the database file and carries sqlite3_errmsg.
#include <cstdint>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace mtl {

[[noreturn]] void sqliteFail(const std::string& path, sqlite3* db, const std::string& what);
void sqliteExec(sqlite3* db, const std::string& path, const char* sql);

// A prepared statement that finalizes itself. Parameters are 1-based, columns 0-based.
class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, std::string path, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bind(int i, std::int64_t v);
    SqliteStatement& bind(int i, double v); // NaN is stored as NULL (SQLite's own rule)
    SqliteStatement& bind(int i, const std::string& v);

    bool step(); // true while there is a row to read
    void run();  // steps to the end, for statements without results
    void reset(); // to run the statement again with new parameters

    std::int64_t integer(int col) const;
    double real(int col) const; // NULL reads as NaN
    std::string text(int col) const;

private:
    SqliteStatement& check(int rc);
    sqlite3* db_;
    std::string path_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when left without commit().
class SqliteTransaction {
public:
    SqliteTransaction(sqlite3* db, std::string path);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void commit();

private:
    sqlite3* db_;
    std::string path_;
    bool done_ = false;
};

} // namespace mtl
