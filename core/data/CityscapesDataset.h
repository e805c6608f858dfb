#pragma once
// A Cityscapes split on disk (also the layout `mtlw synth` writes): images, train-id masks from
// *_gtFine_labelIds.png and detection boxes from *_gtFine_instanceIds.png.
#include "core/data/Sample.h"

#include <string>
#include <vector>

namespace mtl {

class CityscapesDataset {
public:
    // root holds leftImg8bit/ and gtFine/; split is "train", "val" or "test".
    // Throws mtl::DataError naming the folder when the split has no images, or an image has no
    // ground truth files.
    CityscapesDataset(std::string root, std::string split);

    std::size_t size() const { return entries_.size(); }
    const std::string& id(std::size_t i) const { return entries_.at(i).id; }
    const std::string& imagePath(std::size_t i) const { return entries_.at(i).image; }

    // Reads image i with its labels. Throws mtl::DataError naming the file and image id when a file
    // cannot be decoded or sizes disagree.
    Sample load(std::size_t i) const;

    const std::string& root() const { return root_; }
    const std::string& split() const { return split_; }

private:
    struct Entry {
        std::string id, image, labelIds, instanceIds;
    };
    std::string root_, split_;
    std::vector<Entry> entries_; // sorted by id: the order is stable across machines
};

// Label conversion, shared with the tests and the evaluators.
cv::Mat labelIdsToTrainIds(const cv::Mat& labelIds);
// Tight boxes (continuous edges, see Box) over the pixels of each instance of the 8 detection
// classes; pixel values < 1000 (groups, stuff) carry no instance and are skipped.
std::vector<Box> boxesFromInstanceIds(const cv::Mat& instanceIds);

} // namespace mtl
