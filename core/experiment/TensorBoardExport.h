#pragma once
// Runs' scalar metrics as TensorBoard event files, the one format TensorBoard, W&B
// (sync_tensorboard) and Aim (aim convert tensorboard) all read. An event file is a TFRecord
// stream: each record is a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the
// data and the masked CRC-32C of the data. The data is a serialised tensorflow.Event: the first
// carries file_version "brain.Event:2"; then one per (step, wall time) with a Summary whose
// values are (tag, simple_value) pairs. Written by hand: no protobuf or TensorFlow dependency.
#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

class Registry;
struct MetricRow;

// CRC-32C (Castagnoli) of `size` bytes, and TFRecord's mask of it: rotated right by 15 bits
// plus 0xa282ead8.
std::uint32_t crc32c(const void* data, std::size_t size);
std::uint32_t maskedCrc32c(const void* data, std::size_t size);

// The event file's bytes for `rows` (sorted by step, as Registry::allMetrics gives them): the
// version event at the first row's wall time, then one event per run of rows with equal step and
// wall time. Values are stored as 32-bit floats (simple_value).
std::string tensorBoardEvents(const std::vector<MetricRow>& rows);

// The sub-folder a run's events go to: "<id>-<name>", with characters a file name or
// TensorBoard's run picker would misread ('/', '\\', control characters) as '_'.
std::string tensorBoardRunFolder(std::int64_t runId, const std::string& runName);

struct TensorBoardExport {
    std::string folder; // the run's sub-folder
    std::string file;   // its event file
    std::size_t rows = 0;
};

// Writes each run's metrics into outDir/<run folder>/events.out.tfevents.<seconds>.<host>.
// InputError when outDir exists and is not empty (unless `force`: then each run's sub-folder is
// replaced, other contents left alone) or a run id is unknown; nothing is written then.
std::vector<TensorBoardExport> exportTensorBoard(const Registry& registry, const std::vector<std::int64_t>& runIds,
                                                 const std::string& outDir, bool force);

} // namespace mtl
