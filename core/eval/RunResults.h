#pragma once
// The validation results a run folder keeps, in one JSON format: results.json (the latest
// validation) and best.json (the validation that made best.pt, the checkpoint with the highest
// geometric mean so far). `mtlw table` and the GUI read them back.
#include "core/data/Dataset.h"
#include "core/eval/ValidationReport.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mtl {

// {"step", "images", "mIoU", "mIoU_std", "mAP", "mAP_std", "AP50", "AP75", "geometric_mean",
//  "seg_per_class": {name: IoU|null}, "det_per_class": {name: AP|null}, "per_image": FILE (when
//  kept: relative to the run folder, core/eval/PerImageScores.h)}; a task the model does not
// have is null with an empty per-class object. Names come from `classes` (one per value).
std::string validationResultsJson(const ValidationReport& report, const ClassNames& classes);

// JSON pieces shared by the writers of results: a number rounded for printing (15 significant
// digits), or null when not finite; {name: value|null} per class (names.size() values, or none).
nlohmann::ordered_json numberOrNull(double v);
nlohmann::ordered_json perClassJson(const std::vector<std::optional<double>>& values,
                                    const std::vector<std::string>& names);

struct StoredResults {
    std::string file;       // where they were read from
    ValidationReport report; // metrics of an absent task are NaN, its per-class list empty
    ClassNames classes;     // the per-class names, in file order
};

// InputError naming the file and the JSON path of a bad item.
StoredResults readValidationResults(const std::string& path);
// best.json when the run folder has one, else results.json; InputError naming the folder when it
// has neither (the run never validated).
StoredResults readRunResults(const std::string& runDir);

} // namespace mtl
