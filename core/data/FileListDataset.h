#pragma once
// The shape Cityscapes and BDD100K share: a data set indexed once into a list of entries sorted by
// id, one image file each plus the reader's own label data, loaded on demand. A reader fills
// `entries_` (and `skipped_`) in its constructor, calls sortById(), and says how an entry's labels
// are added to a sample; ids, loading, description and skipped entries are the same for both.
#include "core/data/Dataset.h"
#include "core/data/ImageFiles.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace mtl {

// Entry: any struct with `std::string id, image` (the image file's path).
template <typename Entry>
class FileListDataset : public Dataset {
public:
    std::size_t size() const override { return entries_.size(); }
    const std::string& id(std::size_t i) const override { return entries_.at(i).id; }
    Sample load(std::size_t i, bool wantSeg = true, bool wantDet = true) const override {
        return loadParts(i, true, wantSeg, wantDet);
    }
    // Labels and the image size from its file header, without decoding the image.
    Sample loadLabels(std::size_t i) const override { return loadParts(i, false, true, true); }
    std::string description() const override { return kind_ + ":" + root_ + " " + split_; }
    const std::vector<std::string>& skipped() const override { return skipped_; }

    std::string imageFile(std::size_t i) const override { return entries_.at(i).image; }
    const std::string& root() const { return root_; }
    const std::string& split() const { return split_; }

protected:
    FileListDataset(std::string kind, std::string root, std::string split)
        : kind_(std::move(kind)), root_(std::move(root)), split_(std::move(split)) {}
    // Adds entry e's labels, those wanted and present, to s (its id, image or size already set).
    virtual void addLabels(const Entry& e, Sample& s, bool wantSeg, bool wantDet) const = 0;
    // The order is stable across machines, whatever order the file system lists.
    void sortById() {
        std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    }

    std::string kind_, root_, split_;
    std::vector<Entry> entries_;
    std::vector<std::string> skipped_;

private:
    Sample loadParts(std::size_t i, bool wantImage, bool wantSeg, bool wantDet) const {
        const Entry& e = entries_.at(i);
        Sample s = imagefiles::sampleWithImage(e.id, e.image, wantImage);
        addLabels(e, s, wantSeg, wantDet);
        return s;
    }
};

} // namespace mtl
