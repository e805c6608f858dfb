#include "core/experiment/LearningMethod.h"

#include "core/common/Error.h"

namespace mtl {
namespace {

// The registration of a method's names and needs; its step is registered in
// core/train/MethodRegistry.cpp under the same config name (tst_methods checks that both agree).
const std::vector<LearningMethodInfo>& registered() {
    static const std::vector<LearningMethodInfo> methods = {
        {"supervised", "Supervised", "each task's loss over the images labeled for it", false,
         AugmentMode::Equivariant, false, false},
        {"fixmatch", "FixMatch*",
         "invariant: hard pseudo-labels of the teacher on the weak view; the strong view differs by "
         "photometric operations and cutout",
         true, AugmentMode::Invariant, true, true},
        {"densefixmatch", "Dense FixMatch",
         "equivariant: hard pseudo-labels of the teacher moved into a strong view that also warps", true,
         AugmentMode::Equivariant, true, true},
        {"meanteacher", "Mean Teacher",
         "equivariant, segmentation: the student's probabilities on the strong view pulled towards the teacher's, "
         "warped from the weak view (squared error); detection learns from its labels alone",
         true, AugmentMode::Equivariant, true, false},
    };
    return methods;
}

} // namespace

LearningMethod::LearningMethod() = default;

const LearningMethodInfo& LearningMethod::info() const { return registered().at(index_); }

std::optional<LearningMethod> LearningMethod::find(const std::string& configName) {
    for (std::size_t i = 0; i < registered().size(); ++i)
        if (registered()[i].configName == configName) return LearningMethod(i);
    return std::nullopt;
}

LearningMethod LearningMethod::named(const std::string& configName) {
    if (const auto m = find(configName)) return *m;
    throw InputError("must be one of " + learningMethodNames() + ", got '" + configName + "'");
}

const std::vector<LearningMethod>& LearningMethod::all() {
    static const std::vector<LearningMethod> methods = [] {
        std::vector<LearningMethod> v;
        for (std::size_t i = 0; i < registered().size(); ++i) v.push_back(LearningMethod(i));
        return v;
    }();
    return methods;
}

template <>
const EnumTable<LearningMethod>& enumTable<LearningMethod>() {
    static const EnumTable<LearningMethod> t = [] {
        EnumTable<LearningMethod> table{"training method", {}};
        for (const LearningMethod m : LearningMethod::all()) table.names.emplace_back(m.name(), m);
        return table;
    }();
    return t;
}

std::string learningMethodNames() { return nameList<LearningMethod>(", "); }

} // namespace mtl
