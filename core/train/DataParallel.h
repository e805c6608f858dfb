#pragma once
// Data-parallel training on torch's own distributed layer (c10d): a TCP store served by rank 0 for
// the rendezvous and for small messages, and a process group (Gloo on CPU, NCCL on CUDA) for the
// collectives. The run's processes each train on a shard of every global batch; this class keeps
// them one model: gradients averaged before the optimiser step, the batch's normalisers summed,
// decisions agreed, rank 0's weights broadcast at the start.
#include "core/common/Error.h"
#include "core/train/ProcessWorld.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace mtl {

// A collective, the rendezvous or a message failed: another process of the run died, hung past the
// timeout or cannot be reached. The run stops, interrupted and resumable.
class PeerLost : public Error {
public:
    using Error::Error;
};

class DataParallel {
public:
    // Rendezvous of all `world.size` processes at rank 0's TCP store within `timeout` (PeerLost
    // otherwise); every later collective and message wait is bounded by it too. Messages work from
    // here on; collectives once startGroup has run.
    DataParallel(ProcessWorld world, std::chrono::milliseconds timeout);
    // The process group: NCCL when `device` is CUDA (Error when this LibTorch was built without
    // it), Gloo otherwise.
    void startGroup(const torch::Device& device);
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    const ProcessWorld& world() const;
    int rank() const { return world().rank; }
    int size() const { return world().size; }
    const std::string& backend() const; // "gloo" or "nccl"

    // Every parameter's gradient becomes its mean over the processes (all-reduced in buckets of
    // about 25 MB); a parameter that requires a gradient but has none counts as zeros.
    void averageGradients(const std::vector<torch::Tensor>& params);
    // Σ over the processes of a small tensor (counts, flags), returned; `t` is left as it was.
    torch::Tensor sum(const torch::Tensor& t);
    bool anyOf(bool flag);
    // Rank 0's values into every process's tensors: the weights at the start of a run, the
    // student's BatchNorm statistics after every step (as PyTorch's DistributedDataParallel does:
    // each process normalises with its own shard's statistics, rank 0's running ones are kept, so
    // that the EMA teacher stays one model).
    void broadcastFromRank0(const std::vector<torch::Tensor>& tensors);

    // Text by collectives, so that a process that died is noticed at once: every process's text to
    // every process (the periods' meters), and rank 0's text to every process (its verdict).
    std::vector<std::string> gatherText(const std::string& text);
    std::string broadcastText(const std::string& text);

    // Text through the rendezvous store, for the start of a run (rank 0's configuration, where to
    // resume): a store wait does not notice a process that died, only its timeout.
    void post(const std::string& key, const std::string& value);
    std::string read(const std::string& key);  // waits for the key and leaves it for other readers

    // Why a collective failed, from what the others left in the store: "rank 2 failed: <its error>"
    // (see reportFailure), "rank 1 (pid 4242 on node3) has exited", or empty when no process is
    // known to be gone (a hang).
    std::string lostPeers();
    // A rank other than 0 leaves the error that ends it for rank 0 to name (best effort).
    void reportFailure(const std::string& message);
    double collectiveSeconds() const; // time spent in averageGradients so far

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A checksum of every parameter and buffer of `module`, equal on two processes exactly when their
// weights are (to the float64 rounding of a sum): the teacher's drift check.
double weightChecksum(const torch::nn::Module& module);

} // namespace mtl
