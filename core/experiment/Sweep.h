#pragma once
// A sweep: one experiment config per cell of a grid over config keys. The sweep file (YAML):
//
//   base: quickstart.yaml        # the config every cell starts from (relative to this file)
//   name: study                  # run names: "study seed=0 sampling=explicit"; default: the base's name
//   set:                         # optional: values for every cell
//     train.steps: 200
//   grid:                        # every combination, in this order, the last key varying fastest
//     data.split.setting: [a, b, c]
//     train.sampling: [implicit, explicit]
//     seed: [0, 1, 2]
//   slurm:                       # optional, for `mtlw sweep --slurm`
//     partition: gpu
//     time: "04:00:00"
//     cpus_per_task: 8
//     gpus: 1
//     mem: 32G
//     max_parallel: 10           # tasks of the array running at once
//
// Keys are the config's dotted keys; errors are ConfigErrors at the sweep file's line and column.
#include "core/experiment/ExperimentConfig.h"

#include <string>
#include <utility>
#include <vector>

namespace mtl {

struct SweepCell {
    int index = 0; // 0-based, = the SLURM array task id
    std::vector<std::pair<std::string, std::string>> values; // grid key → value text, in grid order
    ExperimentConfig config; // fully resolved; config.name is the cell's run name
};

struct SlurmOptions {
    std::string partition, time, mem;
    int cpusPerTask = 0, gpus = 0, maxParallel = 0; // 0 = not asked for
    int processesPerRun = 1; // > 1: each task is one data-parallel run of this many processes on one node (srun)
};

struct Sweep {
    std::string file;
    std::string name;
    std::vector<SweepCell> cells;
    SlurmOptions slurm;
};

// `overrides` ("key=value", as `mtlw run --set`) apply to every cell, after the grid.
Sweep loadSweep(const std::string& path, const std::vector<std::string>& overrides = {});

// Writes DIR/configs/cell-NNN.yaml (one resolved config per cell), DIR/logs/ and DIR/sweep.sbatch:
// a job array with one task per cell, each running `mtlw run` (the program named by $MTLW, else
// `mtlw` on PATH) into DIR/runs/cell-NNN with a registry of its own on the node; afterwards
// `mtlw import DIR/runs/*` merges the folders. Returns the script's path.
std::string writeSlurmArray(const Sweep& sweep, const std::string& dir);
// The zero-padded cell number used in file names ("007").
std::string cellNumber(const Sweep& sweep, int index);

} // namespace mtl
