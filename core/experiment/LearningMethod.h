#pragma once
// The learning methods a run can train with (train.method), as every floor sees them: the names and
// what each method needs from a run. Torch-free, so that configs are read, tables printed and the
// GUI's choices listed without LibTorch. What a method does inside a training step lives in
// core/train (TrainingMethod.h), registered under the same config name (MethodRegistry.cpp).
#include "core/augment/AugmentOptions.h"
#include "core/common/EnumNames.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

struct LearningMethodInfo {
    std::string configName;  // train.method, and the key of core/train's registry
    std::string displayName; // logs, tables and the GUI (the paper's spelling)
    std::string summary;     // one line for the GUI and the docs
    // A teacher, a strong view the student sees and an unsupervised loss Lu (false: supervised).
    bool learnsFromTeacher = false;
    AugmentMode strongView = AugmentMode::Equivariant; // the strong view's kind, when learnsFromTeacher
    bool teachesSegmentation = false, teachesDetection = false; // tasks with an Lu
};

// A typed choice among the registered methods; the default is supervised.
class LearningMethod {
public:
    LearningMethod();
    // InputError "must be one of supervised, fixmatch, …, got 'x'" for a name not registered.
    static LearningMethod named(const std::string& configName);
    static std::optional<LearningMethod> find(const std::string& configName);
    static const std::vector<LearningMethod>& all(); // in the order tables list them

    const LearningMethodInfo& info() const;
    const std::string& name() const { return info().configName; }
    const std::string& displayName() const { return info().displayName; }
    bool learnsFromTeacher() const { return info().learnsFromTeacher; }
    std::size_t order() const { return index_; } // rank in tables: supervised first
    friend bool operator==(LearningMethod a, LearningMethod b) { return a.index_ == b.index_; }
    friend bool operator!=(LearningMethod a, LearningMethod b) { return a.index_ != b.index_; }

private:
    explicit LearningMethod(std::size_t index) : index_(index) {}
    std::size_t index_ = 0;
};

// "supervised, fixmatch, densefixmatch, …": the names a config may give.
std::string learningMethodNames();
// The registry as a name table (the config schema reads train.method through it).
template <> const EnumTable<LearningMethod>& enumTable<LearningMethod>();

} // namespace mtl
