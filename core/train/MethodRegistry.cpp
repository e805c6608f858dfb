#include "core/train/MethodRegistry.h"

#include "core/common/Error.h"
#include "core/train/FixMatchMethod.h"
#include "core/train/MeanTeacherMethod.h"
#include "core/train/SupervisedMethod.h"

#include <functional>
#include <utility>

namespace mtl {
namespace {

using Factory = std::function<std::unique_ptr<TrainingMethod>(const TeachingSettings&)>;

template <typename Method>
Factory withSettings() {
    return [](const TeachingSettings& s) { return std::make_unique<Method>(s); };
}

const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> methods = {
        {"supervised", withSettings<SupervisedMethod>()},
        {"fixmatch", withSettings<FixMatchMethod>()},
        {"densefixmatch", withSettings<FixMatchMethod>()},
        {"meanteacher", [](const TeachingSettings&) { return std::make_unique<MeanTeacherMethod>(); }},
    };
    return methods;
}

} // namespace

std::unique_ptr<TrainingMethod> makeTrainingMethod(LearningMethod method, const TeachingSettings& settings) {
    for (const auto& [name, make] : registry())
        if (name == method.name()) return make(settings);
    throw InputError("train.method '" + method.name() + "' has no training step registered (core/train/MethodRegistry.cpp)");
}

std::vector<std::string> registeredTrainingMethods() {
    std::vector<std::string> names;
    for (const auto& entry : registry()) names.push_back(entry.first);
    return names;
}

} // namespace mtl
