#include "core/train/ProcessWorld.h"

#include "core/common/Error.h"

#include <cstdlib>

namespace mtl {
namespace {

int integerVariable(const EnvironmentLookup& lookup, const char* name, int lo, int hi) {
    const char* text = lookup(name);
    const std::string value = text ? text : "";
    std::size_t used = 0;
    long parsed = 0;
    try {
        parsed = std::stol(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (value.empty() || used != value.size() || parsed < lo || parsed > hi)
        throw InputError(std::string("environment variable ") + name + "='" + value + "': expected an integer in " +
                         std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(parsed);
}

bool isSet(const EnvironmentLookup& lookup, const char* name) {
    const char* v = lookup(name);
    return v && *v;
}

// SLURM_STEP_TASKS_PER_NODE: "4", "2(x3)" or "4(x2),3": the first node's count, this rank's when
// tasks are spread evenly (the multi-GPU case this serves).
int firstNodeTasks(const std::string& perNode) {
    std::size_t used = 0;
    try {
        const int n = std::stoi(perNode, &used);
        return used > 0 && n > 0 ? n : 1;
    } catch (const std::exception&) {
        return 1;
    }
}

} // namespace

std::string ProcessWorld::describe() const {
    return "rank " + std::to_string(rank) + " of " + std::to_string(size) + " (local " + std::to_string(localRank) +
           " of " + std::to_string(localSize) + "; rendezvous " + masterAddr + ":" + std::to_string(masterPort) + ")";
}

std::string firstSlurmHost(const std::string& nodeList) {
    const std::size_t comma = nodeList.find(','), bracket = nodeList.find('[');
    if (bracket == std::string::npos || (comma != std::string::npos && comma < bracket))
        return nodeList.substr(0, comma);
    // prefix[a-b,c]: the prefix and the first number, zero padding kept.
    const std::size_t end = nodeList.find_first_of("-,]", bracket + 1);
    return nodeList.substr(0, bracket) + nodeList.substr(bracket + 1, end - bracket - 1);
}

ProcessWorld processWorldFromEnvironment(const EnvironmentLookup& lookup) {
    ProcessWorld w;
    const bool torchStyle = isSet(lookup, "RANK") || isSet(lookup, "WORLD_SIZE");
    const bool slurmStep = !torchStyle && isSet(lookup, "SLURM_STEP_NUM_TASKS") && isSet(lookup, "SLURM_PROCID");
    if (torchStyle) {
        w.source = "RANK/WORLD_SIZE";
        w.size = integerVariable(lookup, "WORLD_SIZE", 1, 1 << 16);
        w.rank = integerVariable(lookup, "RANK", 0, w.size - 1);
        w.localSize = isSet(lookup, "LOCAL_WORLD_SIZE") ? integerVariable(lookup, "LOCAL_WORLD_SIZE", 1, w.size) : 1;
        w.localRank = isSet(lookup, "LOCAL_RANK") ? integerVariable(lookup, "LOCAL_RANK", 0, w.size - 1) : 0;
        if (isSet(lookup, "MASTER_ADDR")) w.masterAddr = lookup("MASTER_ADDR");
    } else if (slurmStep) {
        w.source = "SLURM";
        w.size = integerVariable(lookup, "SLURM_STEP_NUM_TASKS", 1, 1 << 16);
        if (w.size == 1) return ProcessWorld{};
        w.rank = integerVariable(lookup, "SLURM_PROCID", 0, w.size - 1);
        w.localRank = isSet(lookup, "SLURM_LOCALID") ? integerVariable(lookup, "SLURM_LOCALID", 0, w.size - 1) : 0;
        w.localSize = isSet(lookup, "SLURM_STEP_TASKS_PER_NODE") ? firstNodeTasks(lookup("SLURM_STEP_TASKS_PER_NODE")) : 1;
        if (isSet(lookup, "MASTER_ADDR")) w.masterAddr = lookup("MASTER_ADDR");
        else if (isSet(lookup, "SLURM_STEP_NODELIST")) w.masterAddr = firstSlurmHost(lookup("SLURM_STEP_NODELIST"));
        else throw InputError("SLURM_STEP_NODELIST is not set: cannot tell where rank 0 runs (set MASTER_ADDR)");
    } else {
        return w;
    }
    if (isSet(lookup, "MASTER_PORT")) w.masterPort = integerVariable(lookup, "MASTER_PORT", 1, 65535);
    return w;
}

ProcessWorld processWorldFromEnvironment() {
    return processWorldFromEnvironment([](const char* name) { return std::getenv(name); });
}

} // namespace mtl
