#pragma once
// Checkpoints: the model's weights and buffers, the optimiser's state, the step and the CPU random
// generator's state, with the architecture line of the model that wrote them. Written to FILE.tmp
// and renamed, so that a crash while saving never leaves a truncated checkpoint.
#include "core/model/MultiTaskModel.h"

#include <cstdint>
#include <string>

namespace mtl {

// `teacher` (the EMA weights of the semi-supervised methods and of evaluation) is stored when given.
void saveCheckpoint(const std::string& path, MultiTaskModelImpl& model,
                    torch::optim::Optimizer* optimizer, std::int64_t step, MultiTaskModelImpl* teacher = nullptr);

struct CheckpointInfo {
    std::string architecture;
    std::int64_t step = 0;
};

// Reads the architecture and step only.
CheckpointInfo readCheckpointInfo(const std::string& path);

// Loads weights (and the optimiser's state and the teacher when given: a checkpoint written
// without a teacher gives the teacher the model's weights). InputError naming the file when it
// cannot be read, or when it was written by a model of another architecture (both lines in the
// message): nothing is loaded then.
CheckpointInfo loadCheckpoint(const std::string& path, MultiTaskModelImpl& model,
                              torch::optim::Optimizer* optimizer = nullptr, MultiTaskModelImpl* teacher = nullptr);

} // namespace mtl
