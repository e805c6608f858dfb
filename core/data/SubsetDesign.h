#pragma once
// What the GUI's experiment designer edits before a split exists: the sizes of the detection- and
// segmentation-labeled subsets of a pool of N images and whether the segmentation subset is drawn
// inside the detection one ("nested") or independently of it. From that it derives the paper's
// setting (a)-(e) that makeLabelSplit understands, and the counts the designer shows.
#include <cstddef>
#include <string>
#include <vector>

namespace mtl {

struct SubsetDesign {
    std::size_t poolSize = 0; // N: images labeled for both tasks on disk
    std::size_t kDet = 0;
    std::size_t kSeg = 0;
    bool nested = false;      // segmentation subset inside the detection subset
};

// The setting that draws this design: kDet = N → (a); equal sizes → (b) nested, (c) independent;
// kSeg < kDet → (d) nested, (e) independent; kSeg > kDet → (e) (nesting is impossible).
std::string settingOf(const SubsetDesign& design);

// Sizes and expected overlap of the random subsets the design's setting draws.
struct SubsetCounts {
    std::size_t det = 0, seg = 0;
    double expectedOverlap = 0; // (a), (b), (d): kSeg; (c), (e): kDet·kSeg/N
};
SubsetCounts expectedCounts(const SubsetDesign& design);

// One of the paper's configurations (section 4.1): setting and label counts as fractions of the
// pool ("1/32", "all"), so that a preset scales with the data set (2,975 → 93 for 1/32).
struct SubsetPreset {
    std::string setting;
    std::string det, seg;
    std::string label() const; // "(d) det 1/4 · seg 1/32"
};
// Every configuration of Figure 1: (a), (b), (c) at 1/32 … 1/2; (d), (e) at the six size pairs.
const std::vector<SubsetPreset>& paperPresets();
// The design a preset gives for a pool of N images (counts by parseLabelCount).
SubsetDesign designFromPreset(const SubsetPreset& preset, std::size_t poolSize);

} // namespace mtl
