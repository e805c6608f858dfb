#include "core/train/EmaTeacher.h"

#include "core/common/Error.h"

namespace mtl {
namespace {

// Pairs of (teacher, student) tensors by name: parameters, then buffers.
std::vector<std::pair<torch::Tensor, torch::Tensor>> matchedTensors(torch::nn::Module& to, const torch::nn::Module& from) {
    std::vector<std::pair<torch::Tensor, torch::Tensor>> pairs;
    auto match = [&](const torch::OrderedDict<std::string, torch::Tensor>& mine,
                     const torch::OrderedDict<std::string, torch::Tensor>& theirs, const char* what) {
        if (mine.size() != theirs.size())
            throw Error(std::string("teacher and student differ in their number of ") + what + " (" +
                        std::to_string(mine.size()) + " vs " + std::to_string(theirs.size()) + ")");
        for (const auto& item : mine) {
            const torch::Tensor* other = theirs.find(item.key());
            if (!other || !other->sizes().equals(item.value().sizes()))
                throw Error(std::string("teacher ") + what + " '" + item.key() + "' has no match of its shape in the student");
            pairs.emplace_back(item.value(), *other);
        }
    };
    match(to.named_parameters(), from.named_parameters(), "parameters");
    match(to.named_buffers(), from.named_buffers(), "buffers");
    return pairs;
}

} // namespace

void updateEma(torch::nn::Module& teacher, const torch::nn::Module& student, double decay) {
    torch::NoGradGuard noGrad;
    for (auto& [mine, theirs] : matchedTensors(teacher, student)) {
        if (mine.is_floating_point())
            mine.mul_(decay).add_(theirs.detach(), 1.0 - decay);
        else
            mine.copy_(theirs);
    }
}

void copyWeights(torch::nn::Module& to, const torch::nn::Module& from) {
    torch::NoGradGuard noGrad;
    for (auto& [mine, theirs] : matchedTensors(to, from)) mine.copy_(theirs);
}

EmaTeacher::EmaTeacher(MultiTaskModelImpl& student, double decay) : model_(student.spec()), decay_(decay) {
    if (!(decay >= 0 && decay <= 1)) throw InputError("train.ema_decay must be in [0, 1], got " + std::to_string(decay));
    const auto device = student.parameters().front().device();
    model_->to(device);
    copyWeights(*model_, student);
    for (auto& p : model_->parameters()) p.set_requires_grad(false);
    model_->eval();
}

} // namespace mtl
