#include "core/data/ClassShareCache.h"

#include "core/common/Paths.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace mtl {
namespace {

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// Every folder under `root` (itself included) with its modification time; empty on an error.
std::map<std::string, std::int64_t> folderTimes(const std::string& root) {
    std::map<std::string, std::int64_t> times;
    std::error_code ec;
    const auto time = [&](const fs::path& p) { return std::int64_t(fs::last_write_time(p, ec).time_since_epoch().count()); };
    times[root] = time(root);
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) times[it->path().string()] = time(it->path());
    if (ec) times.clear();
    return times;
}

} // namespace

std::string classSharesCacheFile(const DatasetLocation& where, const std::string& splits) {
    const std::string key = where.kind + "|" + fs::absolute(where.root).lexically_normal().string() + "|" + splits;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.json", static_cast<unsigned long long>(fnv1a(key)));
    return (fs::path(cacheHome()) / "class-shares" / name).string();
}

std::optional<ClassShares> cachedClassShares(const DatasetLocation& where, const std::string& splits) {
    std::ifstream in(classSharesCacheFile(where, splits));
    if (!in) return std::nullopt;
    const nlohmann::json entry = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    try {
        if (!entry.is_object() || entry.at("root") != fs::absolute(where.root).lexically_normal().string() ||
            entry.at("splits") != splits)
            return std::nullopt; // another data set whose key has the same hash
        std::error_code ec;
        for (const auto& [folder, time] : entry.at("folders").items()) {
            const auto now = fs::last_write_time(folder, ec);
            if (ec || std::int64_t(now.time_since_epoch().count()) != time.get<std::int64_t>()) return std::nullopt;
        }
        ClassShares s;
        s.labeledPixels = entry.at("labeled_pixels").get<std::uint64_t>();
        s.objects = entry.at("objects").get<std::uint64_t>();
        s.segPercent = entry.at("seg_percent").get<std::vector<double>>();
        s.detPercent = entry.at("det_percent").get<std::vector<double>>();
        return s;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt; // a damaged entry is computed again
    }
}

ClassShares classSharesOf(const DatasetLocation& where, const std::string& splits, int threads) {
    if (auto cached = cachedClassShares(where, splits)) return *cached;
    // The folders' times are taken before the labels are read: a file added meanwhile invalidates.
    const std::string root = fs::absolute(where.root).lexically_normal().string();
    const auto times = folderTimes(root);
    const ClassShares shares = computeClassShares(*openDataset(where, splits), threads);
    if (times.empty()) return shares;
    nlohmann::json entry = {{"root", root},
                            {"splits", splits},
                            {"folders", times},
                            {"labeled_pixels", shares.labeledPixels},
                            {"objects", shares.objects},
                            {"seg_percent", shares.segPercent},
                            {"det_percent", shares.detPercent}};
    try {
        const std::string file = classSharesCacheFile(where, splits);
        fs::create_directories(fs::path(file).parent_path());
        writeFileAtomically(file, entry.dump());
    } catch (const std::exception&) {
        // Not cached: the next table computes the shares again.
    }
    return shares;
}

} // namespace mtl
