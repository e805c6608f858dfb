#pragma once
// Internal to the registry's sources: the schema's migrations and the wall clock they all use.
#include <string>

struct sqlite3;

namespace mtl {

int registrySchemaVersion(sqlite3* db, const std::string& path); // PRAGMA user_version
int latestRegistrySchemaVersion();
// Brings the database to the latest version, one transaction per step (safe when several processes
// open the file at once); Error naming the file for a database of a newer version.
void migrateRegistry(sqlite3* db, const std::string& path);
double epochSeconds();

} // namespace mtl
