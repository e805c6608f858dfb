#include "core/model/PretrainedWeights.h"

#include "core/common/Error.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace mtl {
namespace {
std::string shapeText(const torch::Tensor& t) {
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

// The first line of a LibTorch error: the rest is a C++ stack trace.
std::string firstLine(const std::string& message) { return message.substr(0, message.find('\n')); }
} // namespace

std::map<std::string, torch::Tensor> readStateDict(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read the pretrained weights file");
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string hint = " (expected a file written by torch.save(dict(model.state_dict()), FILE))";
    c10::IValue value;
    try {
        value = torch::pickle_load(bytes);
    } catch (const c10::Error& e) {
        // An OrderedDict (torch.save(model.state_dict()) without dict()) unpickles to None here.
        throw InputError(path + ": not a readable state dict: " + firstLine(e.what_without_backtrace()) + hint);
    } catch (const std::exception& e) {
        throw InputError(path + ": not a readable state dict: " + firstLine(e.what()) + hint);
    }
    if (!value.isGenericDict()) throw InputError(path + ": holds a " + value.tagKind() + ", not a dict" + hint);
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            throw InputError(path + ": the dict must map names to tensors; found a " + item.key().tagKind() +
                             " → " + item.value().tagKind() + " entry" + hint);
        tensors.emplace(item.key().toStringRef(), item.value().toTensor());
    }
    return tensors;
}

int loadPretrainedBackbone(ResNetImpl& backbone, const std::string& path) {
    const auto source = readStateDict(path);
    torch::NoGradGuard noGrad;
    int copied = 0;
    auto copyAll = [&](const torch::OrderedDict<std::string, torch::Tensor>& targets) {
        for (const auto& item : targets) {
            auto found = source.find(item.key());
            if (found == source.end())
                throw InputError(path + ": no tensor '" + item.key() + "' for the backbone (is it a torchvision ResNet of the same depth?)");
            const torch::Tensor& from = found->second;
            torch::Tensor to = item.value();
            if (from.numel() != to.numel() || (from.dim() > 0 && from.sizes() != to.sizes()))
                throw InputError(path + ": '" + item.key() + "' has shape " + shapeText(from) + ", the backbone needs " +
                                 shapeText(to) + " (another depth or model.width?)");
            to.copy_(from.reshape(to.sizes()));
            ++copied;
        }
    };
    copyAll(backbone.named_parameters());
    copyAll(backbone.named_buffers());
    return copied;
}

} // namespace mtl
