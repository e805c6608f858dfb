#pragma once
// BDD100K: the 100K images (detection) and the 10K images (segmentation) merged into one set by
// image name, with per-task flags (paper, section 4.3).
//
// Layout under ROOT:
//   images/100k/{train,val,test}/*.jpg, images/10k/{train,val,test}/*.jpg
//   labels/det_20/det_{train,val}.json                 detection, Scalabel format (preferred), or
//   labels/bdd100k_labels_images_{train,val}.json      the older format (also under labels/100k/)
//   labels/sem_seg/masks/{train,val}/<name>.png        19 train ids (Cityscapes order), 255 ignore
//
// Merging: split S lists every image of images/100k/S and images/10k/S once (the 100K file is read
// when both have it). An image is detection-labeled when the detection file lists it (a frame with
// no or null `labels` is labeled with no objects) and segmentation-labeled when its mask exists.
// 10K-train images that are also in the 100K validation split are removed from train (454 in the
// official release), so that no validation image is trained on.
//
// Detection classes (10): pedestrian, rider, car, truck, bus, train, motorcycle, bicycle,
// traffic light, traffic sign. The older format's person, motor and bike are renamed; van and
// caravan count as car. "other person", "other vehicle" and "trailer" become crowd boxes of
// pedestrian, car and truck (ignored in evaluation, as BDD's own COCO conversion does), as do labels
// with the crowd attribute. "drivable area" and "lane" carry no box and are skipped; any other
// category is a DataError naming the file and JSON path.
//
// Boxes: box2d x1..x2 are read as continuous coordinates (width = x2 − x1, pycocotools' rule),
// used alike for ground truth and predictions; BDD's converters add 1 to widths.
#include "core/data/FileListDataset.h"

#include <string>
#include <vector>

namespace mtl {

struct Bdd100kCounts {
    std::size_t images = 0, detLabeled = 0, segLabeled = 0, both = 0, neither = 0;
    std::size_t removedValOverlap = 0; // 10K-train images removed because they are in 100K val
};

struct Bdd100kEntry {
    std::string id, image, mask; // mask empty when not segmentation-labeled
    bool hasDet = false;
    std::vector<Box> boxes;
};

class Bdd100kDataset : public FileListDataset<Bdd100kEntry> {
public:
    // split: train, val or test. Throws DataError/InputError naming the file (and JSON path) on a
    // missing folder, malformed JSON, unknown category, a frame listed twice, a label for a missing
    // image; with OnDataError::Skip, per-image problems leave the image out (see skipped()).
    Bdd100kDataset(std::string root, std::string split, OnDataError onError = OnDataError::Fail);

    bool labeled(std::size_t i, Task task) const override;
    const ClassNames& classes() const override;

    const Bdd100kCounts& counts() const { return counts_; }
    const std::string& detectionLabelFile() const { return detFile_; }

private:
    // Masks are checked: a value outside 0..18 and 255 is a DataError naming the pixel.
    void addLabels(const Bdd100kEntry& e, Sample& s, bool wantSeg, bool wantDet) const override;
    void readDetectionLabels(OnDataError onError);
    void readMasks(OnDataError onError);

    std::string detFile_;
    Bdd100kCounts counts_;
};

} // namespace mtl
