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

// Creates the folder of registry run `id` named `name` — exactly `runDir` when given, else
// <runsRoot>/<id>-<name> (runsRoot empty: runs/ beside the registry) —, records it in the registry
// and writes config.yaml and run.json; returns its absolute path. A folder that cannot be created
// marks the run failed and throws Error.
std::string createRunFolder(Registry& registry, std::int64_t id, const std::string& name, const std::string& configYaml,
                            std::string runsRoot, const std::string& runDir);

// The record of run `id` when it can be resumed (interrupted, failed or queued, its folder still
// there); InputError saying why not.
RunRecord resumableRun(Registry& registry, std::int64_t id);

// Writes run.json (atomically) from the registry's record and checkpoints; checkpoint paths inside
// the folder are stored relative to it, so the folder may move.
void writeRunInfo(const std::string& runDir, const RunRecord& run, const std::vector<CheckpointRecord>& checkpoints);

// Reads a whole run folder into a snapshot (run.json required; the other files when present).
// InputError naming the file (and line for metrics.csv) on anything malformed.
RunSnapshot readRunFolder(const std::string& runDir);

// Rewrites metrics.csv keeping the header and the rows of steps ≤ step (a resume from that step).
void truncateMetricsCsv(const std::string& path, std::int64_t step);

} // namespace mtl
