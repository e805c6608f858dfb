#pragma once
// Class shares of a data set's splits (the tables' "% pixels" / "% objects" row), computed once
// and kept in the cache folder (cacheHome()/class-shares/, one JSON file per data set root and
// splits). An entry holds the modification time of every folder under the data set's root: adding,
// removing or renaming a file changes its folder's time, so a changed file list makes the shares
// be computed again, and checking an entry costs one stat per folder whatever the number of files.
#include "core/data/DatasetLocator.h"
#include "core/data/DatasetReport.h"

#include <optional>
#include <string>

namespace mtl {

// The cached shares when the entry exists and every folder it lists kept its time; else none.
std::optional<ClassShares> cachedClassShares(const DatasetLocation& where, const std::string& splits);

// The cached shares, else computed from the labels of `splits` ('+'-joined) on `threads` threads
// and stored (a cache folder that cannot be written only costs the next call the computation).
ClassShares classSharesOf(const DatasetLocation& where, const std::string& splits, int threads);

// The cache file of (where, splits).
std::string classSharesCacheFile(const DatasetLocation& where, const std::string& splits);

} // namespace mtl
