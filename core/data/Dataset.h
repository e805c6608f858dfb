#pragma once
// What a run sees of a data set: an indexed list of samples with stable ids, per-task "labeled"
// flags and the class names of both tasks. Cityscapes, BDD100K and the synthetic set implement it;
// `PartialLabels` (LabelSplit.h) wraps one to hide labels, `ConcatenatedDataset` joins splits.
#include "core/data/OnDataError.h"
#include "core/data/Sample.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mtl {

enum class Task { Segmentation = 0, Detection = 1 };
const char* taskName(Task task); // "seg" or "det", as in split files and the command line

struct ClassNames {
    std::vector<std::string> seg; // index = train id
    std::vector<std::string> det; // index = Box::cls
};


class Dataset {
public:
    virtual ~Dataset() = default;

    virtual std::size_t size() const = 0;
    virtual const std::string& id(std::size_t i) const = 0;
    // Whether sample i carries ground truth for the task (on disk, or after a split hides some).
    virtual bool labeled(std::size_t i, Task task) const = 0;
    // Reads sample i; labels are decoded only for the tasks that are labeled and wanted (hasSeg /
    // hasDet say which). Throws DataError naming the file and the image id.
    virtual Sample load(std::size_t i, bool wantSeg = true, bool wantDet = true) const = 0;
    // The labels of sample i without decoding its image (imageSize still set): for statistics
    // and ground-truth export. The default decodes the image and drops it.
    virtual Sample loadLabels(std::size_t i) const;
    virtual const ClassNames& classes() const = 0;
    // The path of sample i's image file (what COCO files name as file_name, so that FiftyOne and
    // detectron2 find the images); "" where the data set has none.
    virtual std::string imageFile(std::size_t i) const;
    // e.g. "cityscapes:/data/cityscapes train"; used in messages.
    virtual std::string description() const = 0;
    // Entries left out while indexing under OnDataError::Skip, one line each ("FILE: problem").
    virtual const std::vector<std::string>& skipped() const;

    std::size_t labeledCount(Task task) const;
    // Index of an id; throws InputError naming `context` when the id is not in the data set.
    std::size_t indexOf(const std::string& id, const std::string& context) const;

private:
    mutable std::mutex indexMutex_;
    mutable std::vector<std::pair<std::string, std::size_t>> sortedIds_; // built on first indexOf
};

// Splits joined in order (e.g. Cityscapes train + train_extra). Ids must be unique across parts:
// an image listed twice is a DataError naming both parts.
class ConcatenatedDataset : public Dataset {
public:
    explicit ConcatenatedDataset(std::vector<std::shared_ptr<const Dataset>> parts);
    std::size_t size() const override { return index_.size(); }
    const std::string& id(std::size_t i) const override;
    bool labeled(std::size_t i, Task task) const override;
    Sample load(std::size_t i, bool wantSeg, bool wantDet) const override;
    Sample loadLabels(std::size_t i) const override;
    const ClassNames& classes() const override { return parts_.front()->classes(); }
    std::string imageFile(std::size_t i) const override;
    std::string description() const override;
    const std::vector<std::string>& skipped() const override { return skipped_; }

private:
    std::vector<std::shared_ptr<const Dataset>> parts_;
    std::vector<std::pair<std::size_t, std::size_t>> index_; // (part, index in part)
    std::vector<std::string> skipped_;
};

} // namespace mtl
