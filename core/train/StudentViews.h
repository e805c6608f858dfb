#pragma once
// Which views of a training batch the student and the teacher run on (train.student_views).
// `all` (the authors' code): the student sees the weak and, for the semi-supervised methods, the
// strong view of every sample, the teacher labels every weak view. `used`: only views that feed a
// loss — the weak view of a sample labeled for a task the model has (Ls), the strong view of a
// sample selected for Lu of a task the model has (not labeled for it, or any sample under
// lu_scope all) — and the teacher labels exactly the samples whose strong view the student sees.
// Torch-free, so that the rule can be read and tested on its own.
#include <cstdint>
#include <vector>

namespace mtl {

struct SampleTasks {
    bool seg = false, det = false; // labeled for the task in this batch
};

struct ViewSelectionRule {
    bool segHead = true, detHead = true;
    bool semiSupervised = true; // a method that learns from a teacher: strong views
    bool segLu = true, detLu = true; // the tasks the method has an Lu for
    bool luOnAllSamples = false;
    bool usedOnly = false;      // student_views: used
};

struct ViewRows {
    std::vector<std::int64_t> weak;   // samples whose weak view the student sees, ascending
    std::vector<std::int64_t> strong; // samples whose strong view the student sees and the teacher labels
};

ViewRows selectViewRows(const std::vector<SampleTasks>& batch, const ViewSelectionRule& rule);

} // namespace mtl
