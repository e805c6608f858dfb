#pragma once
// Internal to core/eval: the fast path of readCocoGroundTruth and readCocoResults (CocoJson.h). A
// results list of 50k detections costs ~90 ms through a JSON DOM, a few through JsonScanner. The
// scan returns nothing whenever the text is not plainly valid (a syntax error, escapes, a missing
// key, an unknown id, a bad box, a key given twice): the DOM reader then reads the file and names
// the problem, so both paths accept the same files and give the same values.
#include "core/eval/CocoJson.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mtl::cocojson {

// A COCO bbox [x, y, w, h] as a Box (x2 = x + w), or why it cannot be one: a zero or negative size
// can never match, so it would silently count as a miss (ground truth) or a false positive.
const char* boxProblem(const double xywh[4]);
Box boxOf(const double xywh[4], int cls); // when boxProblem is null

std::optional<CocoGroundTruth> scanGroundTruth(std::string_view text, const std::string& path);
std::optional<std::vector<std::vector<Detection>>> scanResults(std::string_view text, const CocoGroundTruth& gt);

} // namespace mtl::cocojson
