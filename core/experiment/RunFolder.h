#pragma once
// A run folder describes its run on its own (config.yaml, split.json, metrics.csv, results.json,
// run.log, checkpoint.pt and run.json with the registry's record of the run), so that a folder
// written on a cluster node can be merged into another registry (`mtlw import`).
#include "core/experiment/Registry.h"

#include <string>
#include <vector>

namespace mtl {

// File names inside a run folder.
namespace runfiles {
inline const char* const kInfo = "run.json";
inline const char* const kConfig = "config.yaml";
inline const char* const kSplit = "split.json";
inline const char* const kMetrics = "metrics.csv";
inline const char* const kResults = "results.json";
inline const char* const kLog = "run.log";
inline const char* const kCheckpoint = "checkpoint.pt";
} // namespace runfiles

// Writes run.json (atomically) from the registry's record and checkpoints; checkpoint paths inside
// the folder are stored relative to it, so the folder may move.
void writeRunInfo(const std::string& runDir, const RunRecord& run, const std::vector<CheckpointRecord>& checkpoints);

// Reads a whole run folder into a snapshot (run.json required; the other files when present).
// InputError naming the file (and line for metrics.csv) on anything malformed.
RunSnapshot readRunFolder(const std::string& runDir);

// Rewrites metrics.csv keeping the header and the rows of steps ≤ step (a resume from that step).
void truncateMetricsCsv(const std::string& path, std::int64_t step);

} // namespace mtl
