#include "core/experiment/TensorBoardExport.h"

#include "core/common/Error.h"
#include "core/experiment/Registry.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace mtl {
namespace {

const std::array<std::uint32_t, 256>& crcTable() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1; // reflected Castagnoli
            t[i] = c;
        }
        return t;
    }();
    return table;
}

// Protocol buffers' wire format, the few pieces an Event needs.
void varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += char((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += char(v);
}
template <typename T>
void littleEndian(std::string& out, T v) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T)); // x86-64 and aarch64 Linux are little-endian
    out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}
void key(std::string& out, int field, int wireType) { varint(out, std::uint64_t(field) << 3 | std::uint64_t(wireType)); }
void lengthDelimited(std::string& out, int field, const std::string& bytes) {
    key(out, field, 2);
    varint(out, bytes.size());
    out += bytes;
}

// Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5.
std::string event(double wallTime, std::int64_t step, const std::string* fileVersion, const std::string* summary) {
    std::string e;
    key(e, 1, 1);
    littleEndian(e, wallTime);
    if (step != 0) {
        key(e, 2, 0);
        varint(e, std::uint64_t(step));
    }
    if (fileVersion) lengthDelimited(e, 3, *fileVersion);
    if (summary) lengthDelimited(e, 5, *summary);
    return e;
}

void record(std::string& out, const std::string& data) {
    std::string length;
    littleEndian(length, std::uint64_t(data.size()));
    out += length;
    littleEndian(out, maskedCrc32c(length.data(), length.size()));
    out += data;
    littleEndian(out, maskedCrc32c(data.data(), data.size()));
}

std::string hostName() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "localhost";
    return tensorBoardRunFolder(0, name).substr(2); // the same characters made safe
}

} // namespace

std::uint32_t crc32c(const void* data, std::size_t size) {
    const auto& table = crcTable();
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t maskedCrc32c(const void* data, std::size_t size) {
    const std::uint32_t c = crc32c(data, size);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

std::string tensorBoardEvents(const std::vector<MetricRow>& rows) {
    std::string out;
    out.reserve(rows.size() * 48 + 64);
    const std::string version = "brain.Event:2";
    record(out, event(rows.empty() ? 0.0 : rows.front().wallTime, 0, &version, nullptr));
    std::string summary, value;
    for (std::size_t i = 0; i < rows.size();) {
        const std::int64_t step = rows[i].step;
        const double wall = rows[i].wallTime;
        summary.clear();
        for (; i < rows.size() && rows[i].step == step && rows[i].wallTime == wall; ++i) {
            // Summary.Value: tag = 1 (string), simple_value = 2 (float).
            value.clear();
            lengthDelimited(value, 1, rows[i].key);
            key(value, 2, 5);
            littleEndian(value, float(rows[i].value));
            lengthDelimited(summary, 1, value); // Summary: value = 1 (repeated)
        }
        record(out, event(wall, step, nullptr, &summary));
    }
    return out;
}

std::string tensorBoardRunFolder(std::int64_t runId, const std::string& runName) {
    std::string name = std::to_string(runId) + "-";
    for (const char c : runName) name += (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    return name;
}

std::vector<TensorBoardExport> exportTensorBoard(const Registry& registry, const std::vector<std::int64_t>& runIds,
                                                 const std::string& outDir, bool force) {
    std::error_code ec;
    if (fs::exists(outDir, ec) && !fs::is_directory(outDir, ec))
        throw InputError(outDir + ": exists and is not a folder");
    if (fs::is_directory(outDir, ec) && !fs::is_empty(outDir, ec) && !force)
        throw InputError(outDir + ": the folder is not empty (give --force to write into it; each exported run's "
                                  "sub-folder is then replaced)");
    std::vector<RunRecord> runs;
    for (const std::int64_t id : runIds) {
        const auto run = registry.run(id);
        if (!run) throw InputError("registry " + registry.path() + ": no run with id " + std::to_string(id));
        runs.push_back(*run);
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<TensorBoardExport> written;
    for (const RunRecord& run : runs) {
        TensorBoardExport e;
        e.folder = (fs::path(outDir) / tensorBoardRunFolder(run.id, run.name)).string();
        fs::remove_all(e.folder);
        fs::create_directories(e.folder);
        e.file = (fs::path(e.folder) / ("events.out.tfevents." + std::to_string(seconds) + "." + hostName())).string();
        const std::vector<MetricRow> rows = registry.allMetrics(run.id);
        e.rows = rows.size();
        const std::string bytes = tensorBoardEvents(rows);
        std::ofstream out(e.file, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out.flush()) throw Error(e.file + ": cannot write");
        written.push_back(e);
    }
    return written;
}

} // namespace mtl
