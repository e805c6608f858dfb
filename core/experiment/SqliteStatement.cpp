#include "core/experiment/SqliteStatement.h"

#include "core/common/Error.h"

#include <sqlite3.h>

#include <limits>
#include <utility>

namespace mtl {

void sqliteFail(const std::string& path, sqlite3* db, const std::string& what) {
    throw Error("registry " + path + ": " + what + ": " +
                (db ? sqlite3_errmsg(db) : "out of memory"));
}

void sqliteExec(sqlite3* db, const std::string& path, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        sqliteFail(path, db, std::string("cannot run \"") + sql + "\"");
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string path, const char* sql)
    : db_(db), path_(std::move(path)) {
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK)
        sqliteFail(path_, db_, std::string("cannot prepare \"") + sql + "\"");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::check(int rc) {
    if (rc != SQLITE_OK)
        sqliteFail(path_, db_, "cannot bind a parameter");
    return *this;
}

SqliteStatement& SqliteStatement::bind(int i, std::int64_t v) {
    return check(sqlite3_bind_int64(stmt_, i, v));
}

SqliteStatement& SqliteStatement::bind(int i, double v) {
    return check(sqlite3_bind_double(stmt_, i, v));
}

SqliteStatement& SqliteStatement::bind(int i, const std::string& v) {
    return check(
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqliteFail(path_, db_, std::string("cannot run \"") + sqlite3_sql(stmt_) + "\"");
}

void SqliteStatement::run() {
    while (step()) {
    }
}

void SqliteStatement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::integer(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

double SqliteStatement::real(int col) const {
    // SQLite stores NaN as NULL; reading it back as NaN keeps metric series at their length.
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL)
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(stmt_, col);
}

std::string SqliteStatement::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

// IMMEDIATE takes the write lock up front, so the busy timeout applies instead of a deadlock
// error when two connections both try to upgrade a read transaction.
SqliteTransaction::SqliteTransaction(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {
    sqliteExec(db_, path_, "BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
    if (!done_)
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
    sqliteExec(db_, path_, "COMMIT");
    done_ = true;
}

} // namespace mtl
