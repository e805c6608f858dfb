#pragma once
// Cityscapes in its official layout (also the layout `mtlw synth` writes).
//
// Splits:
//   train, val     leftImg8bit/SPLIT with gtFine/SPLIT: segmentation from *_gtFine_labelIds.png
//                  (label ids → the 19 train ids), detection from *_gtFine_instanceIds.png.
//   test           leftImg8bit/test, unlabeled: the official test ground truth is withheld (the
//                  gtFine/test files are placeholders), so they are never read.
//   train_extra    leftImg8bit/train_extra, unlabeled for both tasks (its gtCoarse is not used).
//   sequence       leftImg8bit_sequence/train, unlabeled; frames that are also in
//                  leftImg8bit/train (the annotated frame of each snippet) are left out so that
//                  train + sequence never lists an image twice.
//
// Detection boxes: the tight box over every pixel of each instance (value labelId·1000 + k) of the
// 8 evaluated instance classes (person, rider, car, truck, bus, train, motorcycle, bicycle).
// Dropped, on purpose:
//   - group regions (pixels of an instance class stored as the bare label id, e.g. a crowd of
//     cars): they have no instance identity, so no single box describes them;
//   - caravan and trailer instances: their train id is 255 (not evaluated);
// Tiny instances are kept (even 1 pixel): dropping them would silently change the ground truth that
// the COCO evaluation counts.
#include "core/data/FileListDataset.h"

#include <string>
#include <vector>

namespace mtl {

struct CityscapesEntry {
    std::string id, image, labelIds, instanceIds; // label paths empty when unlabeled
};

class CityscapesDataset : public FileListDataset<CityscapesEntry> {
public:
    // Throws DataError naming the folder when the split has no images, and naming the file when a
    // labeled split misses a label file (with OnDataError::Skip: the image is left out and listed
    // in skipped()). Two images with one id (e.g. in two city folders) are a DataError.
    CityscapesDataset(std::string root, std::string split, OnDataError onError = OnDataError::Fail);

    bool labeled(std::size_t i, Task task) const override;
    const ClassNames& classes() const override;

    static const std::vector<std::string>& splitNames();

private:
    // Label maps are checked: a labelIds value that is no Cityscapes label id, or an instanceIds
    // value whose label id has no instances, is a DataError naming the file, pixel and image id.
    void addLabels(const CityscapesEntry& e, Sample& s, bool wantSeg, bool wantDet) const override;
};

// Label conversion, shared with the tests and the evaluators. Both check their input: unknown
// values throw DataError with the pixel position (callers prepend the file name).
cv::Mat labelIdsToTrainIds(const cv::Mat& labelIds);
// Tight boxes (continuous edges, see Box) over the pixels of each instance of the 8 detection
// classes; pixel values < 1000 (groups, stuff) carry no instance and are skipped.
std::vector<Box> boxesFromInstanceIds(const cv::Mat& instanceIds);

} // namespace mtl
