#pragma once
// The teacher of the semi-supervised methods and the weights every method is evaluated with: an
// exponential moving average of the student (Mean Teacher; the paper's EMA decay is 0.99).
// Buffers are averaged too (as Dense FixMatch does), so the teacher's BatchNorm statistics follow
// the student's; integer buffers (BatchNorm's batch counters) are copied.
#include "core/model/MultiTaskModel.h"

namespace mtl {

// teacher ← decay · teacher + (1 − decay) · student, for every parameter and floating-point buffer
// matched by name; integer buffers are copied. Both modules must have the same structure
// (otherwise an Error naming the first difference).
void updateEma(torch::nn::Module& teacher, const torch::nn::Module& student, double decay);

// Copies every parameter and buffer (decay 0).
void copyWeights(torch::nn::Module& to, const torch::nn::Module& from);

class EmaTeacher {
public:
    // A model of the student's architecture holding a copy of its current weights, on the same
    // device, in evaluation mode and without gradients.
    EmaTeacher(MultiTaskModelImpl& student, double decay);
    void update(const MultiTaskModelImpl& student) { updateEma(*model_, student, decay_); }
    MultiTaskModelImpl& model() { return *model_; }
    double decay() const { return decay_; }

private:
    MultiTaskModel model_;
    double decay_;
};

} // namespace mtl
