#pragma once
// Where this process stands in a data-parallel run: its rank among the run's processes, how many
// there are, its place on its own machine, and where rank 0 listens for the rendezvous. Read from
// the environment an external launcher sets (torchrun's RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT; or SLURM's srun), or set by `mtlw run --nproc-per-node`. Torch-free.
#include <functional>
#include <string>

namespace mtl {

struct ProcessWorld {
    int rank = 0, size = 1;           // this process among all of the run's processes
    int localRank = 0, localSize = 1; // among those on this machine (the GPU it takes)
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string source; // what described it: "RANK/WORLD_SIZE", "SLURM" or "" (one process)
    bool distributed() const { return size > 1; }
    bool isWritingRank() const { return rank == 0; } // rank 0 alone writes the registry and the run folder
    std::string describe() const;             // "rank 1 of 2 (local 1 of 2; rendezvous 127.0.0.1:29500)"
};

using EnvironmentLookup = std::function<const char*(const char*)>;

// RANK and WORLD_SIZE when set (LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT with them);
// else, inside an srun step of several tasks, SLURM_PROCID, SLURM_STEP_NUM_TASKS, SLURM_LOCALID,
// SLURM_STEP_TASKS_PER_NODE and the first host of SLURM_STEP_NODELIST (MASTER_PORT, else 29500);
// else one process. InputError naming the variable and its value when one is malformed or out of
// range.
ProcessWorld processWorldFromEnvironment(const EnvironmentLookup& lookup);
ProcessWorld processWorldFromEnvironment();

// The first host of a SLURM node list: "gpu[07-09,12],cpu1" → "gpu07", "node3" → "node3".
std::string firstSlurmHost(const std::string& nodeList);

} // namespace mtl
