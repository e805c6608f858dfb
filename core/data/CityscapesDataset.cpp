#include "core/data/CityscapesDataset.h"

#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/ImageFiles.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace mtl {

namespace {

using namespace imagefiles;

const std::string kImageSuffix = "_leftImg8bit.png";

struct SplitLayout {
    fs::path images;  // city folders with *_leftImg8bit.png
    fs::path gt;      // city folders with gtFine files; empty = unlabeled
    fs::path exclude; // images whose ids are also here are left out (sequence vs train)
};

SplitLayout layoutOf(const fs::path& root, const std::string& split) {
    if (split == "train" || split == "val")
        return {root / "leftImg8bit" / split, root / "gtFine" / split, {}};
    if (split == "test" || split == "train_extra") return {root / "leftImg8bit" / split, {}, {}};
    if (split == "sequence")
        return {root / "leftImg8bit_sequence" / "train", {}, root / "leftImg8bit" / "train"};
    std::string known;
    for (const auto& s : CityscapesDataset::splitNames()) known += (known.empty() ? "" : ", ") + s;
    throw InputError("unknown Cityscapes split '" + split + "' (expected " + known + ")");
}

// Ids (file name minus the suffix) of the images in a split folder, with their paths.
std::vector<std::pair<std::string, fs::path>> imagesIn(const fs::path& dir) {
    std::vector<std::pair<std::string, fs::path>> out;
    for (const fs::path& cityDir : list(dir, true))
        for (const fs::path& file : list(cityDir, false)) {
            const std::string name = file.filename().string();
            if (endsWith(name, kImageSuffix))
                out.emplace_back(name.substr(0, name.size() - kImageSuffix.size()), file);
        }
    return out;
}

std::string pixel(int x, int y) { return "pixel (" + std::to_string(x) + ", " + std::to_string(y) + ")"; }

} // namespace

const std::vector<std::string>& CityscapesDataset::splitNames() {
    static const std::vector<std::string> names = {"train", "val", "test", "train_extra", "sequence"};
    return names;
}

CityscapesDataset::CityscapesDataset(std::string root, std::string split, OnDataError onError)
    : FileListDataset("cityscapes", std::move(root), std::move(split)) {
    const SplitLayout layout = layoutOf(root_, split_);
    if (!isFolder(layout.images)) throw DataError(layout.images.string() + ": no such folder (split " + split_ + ")");
    // A labeled split without its gtFine folder is read as unlabeled: that is how a data set
    // shipped without labels looks, and every image then says so (labeled() is false).
    const bool labeledSplit = !layout.gt.empty() && isFolder(layout.gt);
    std::set<std::string> excluded;
    if (!layout.exclude.empty() && isFolder(layout.exclude))
        for (const auto& [id, path] : imagesIn(layout.exclude)) excluded.insert(id);

    std::map<std::string, fs::path> seen;
    for (const auto& [id, file] : imagesIn(layout.images)) {
        if (excluded.count(id)) continue;
        const auto [it, fresh] = seen.emplace(id, file);
        if (!fresh)
            throw DataError(file.string() + ": image " + id + " is listed twice (also " + it->second.string() + ")");
        CityscapesEntry e;
        e.id = id;
        e.image = file.string();
        if (labeledSplit) {
            const fs::path stem = layout.gt / file.parent_path().filename() / id;
            e.labelIds = stem.string() + "_gtFine_labelIds.png";
            e.instanceIds = stem.string() + "_gtFine_instanceIds.png";
            std::string missing = !isFile(e.labelIds) ? e.labelIds : !isFile(e.instanceIds) ? e.instanceIds : "";
            if (!missing.empty()) {
                if (onError == OnDataError::Fail) fail(missing, id, "label file not found");
                skipped_.push_back(missing + ": label file not found (image " + id + ")");
                continue;
            }
        }
        entries_.push_back(std::move(e));
    }
    if (entries_.empty())
        throw DataError(layout.images.string() + ": no *" + kImageSuffix + " images (split " + split_ + ")");
    sortById();
}

bool CityscapesDataset::labeled(std::size_t i, Task task) const {
    const CityscapesEntry& e = entries_.at(i);
    return !(task == Task::Segmentation ? e.labelIds : e.instanceIds).empty();
}

const ClassNames& CityscapesDataset::classes() const {
    static const ClassNames names = [] {
        ClassNames c;
        for (int t = 0; t < cityscapes::kNumSegClasses; ++t) c.seg.push_back(cityscapes::segClassName(t));
        for (int d = 0; d < cityscapes::kNumDetClasses; ++d) c.det.push_back(cityscapes::detClassName(d));
        return c;
    }();
    return names;
}

void CityscapesDataset::addLabels(const CityscapesEntry& e, Sample& s, bool wantSeg, bool wantDet) const {
    // Errors from the converters name the pixel; the file and image id are added here.
    auto convert = [&](const std::string& file, auto&& fn) {
        try {
            return fn();
        } catch (const DataError& err) {
            fail(file, e.id, err.what());
        }
    };
    if (wantSeg && !e.labelIds.empty()) {
        const cv::Mat labelIds = read(e.labelIds, e.id, cv::IMREAD_UNCHANGED);
        if (labelIds.type() != CV_8UC1) fail(e.labelIds, e.id, "expected an 8-bit single-channel PNG");
        if (labelIds.size() != s.imageSize) fail(e.labelIds, e.id, "size differs from the image");
        s.seg = convert(e.labelIds, [&] { return labelIdsToTrainIds(labelIds); });
        s.hasSeg = true;
    }
    if (wantDet && !e.instanceIds.empty()) {
        const cv::Mat instanceIds = read(e.instanceIds, e.id, cv::IMREAD_UNCHANGED);
        if (instanceIds.type() != CV_16UC1 && instanceIds.type() != CV_32SC1)
            fail(e.instanceIds, e.id, "expected a 16-bit single-channel PNG");
        if (instanceIds.size() != s.imageSize) fail(e.instanceIds, e.id, "size differs from the image");
        s.boxes = convert(e.instanceIds, [&] { return boxesFromInstanceIds(instanceIds); });
        s.hasDet = true;
    }
}

cv::Mat labelIdsToTrainIds(const cv::Mat& labelIds) {
    if (labelIds.type() != CV_8UC1) throw Error("labelIdsToTrainIds: expected a CV_8UC1 label map");
    // One vectorised look-up marks unknown values; the slow scan runs only to name the first one.
    static const cv::Mat unknownLut = [] {
        cv::Mat lut(1, 256, CV_8UC1);
        for (int v = 0; v < 256; ++v) lut.at<std::uint8_t>(v) = cityscapes::isKnownLabelId(v) ? 0 : 1;
        return lut;
    }();
    cv::Mat unknown;
    cv::LUT(labelIds, unknownLut, unknown);
    if (cv::countNonZero(unknown) > 0)
        for (int y = 0; y < labelIds.rows; ++y) {
            const std::uint8_t* row = labelIds.ptr<std::uint8_t>(y);
            for (int x = 0; x < labelIds.cols; ++x)
                if (!cityscapes::isKnownLabelId(row[x]))
                    throw DataError("value " + std::to_string(row[x]) + " at " + pixel(x, y) +
                                    " is not a Cityscapes label id");
        }
    const auto& table = cityscapes::labelIdToTrainId();
    const cv::Mat lut(1, 256, CV_8UC1, const_cast<std::uint8_t*>(table.data()));
    cv::Mat trainIds;
    cv::LUT(labelIds, lut, trainIds);
    return trainIds;
}

namespace {

struct Extent {
    int x0, y0, x1, y1; // inclusive pixel bounds
};

// Instance values are labelId·1000 + k for classes with instances, or a bare label id.
bool validInstanceValue(int v) {
    if (v < 1000) return cityscapes::isKnownLabelId(v);
    const int labelId = v / 1000;
    for (const auto& l : cityscapes::labels())
        if (l.id == labelId) return l.hasInstances;
    return false;
}

template <typename T>
void accumulate(const cv::Mat& ids, std::map<int, Extent>& extents) {
    for (int y = 0; y < ids.rows; ++y) {
        const T* row = ids.ptr<T>(y);
        // Instances come in horizontal runs, so one map update (and check) per run, not per pixel.
        for (int x = 0; x < ids.cols;) {
            const int v = static_cast<int>(row[x]);
            int end = x + 1;
            while (end < ids.cols && static_cast<int>(row[end]) == v) ++end;
            auto [it, fresh] = extents.try_emplace(v, Extent{x, y, end - 1, y});
            if (fresh && !validInstanceValue(v))
                throw DataError("value " + std::to_string(v) + " at " + pixel(x, y) +
                                " is not a Cityscapes instance id (labelId·1000 + k) or label id");
            if (!fresh) {
                Extent& e = it->second;
                e.x0 = std::min(e.x0, x);
                e.x1 = std::max(e.x1, end - 1);
                e.y1 = y; // rows are visited in order, so y only grows
            }
            x = end;
        }
    }
}

} // namespace

std::vector<Box> boxesFromInstanceIds(const cv::Mat& instanceIds) {
    std::map<int, Extent> extents; // ordered by instance value: stable box order
    if (instanceIds.type() == CV_16UC1)
        accumulate<std::uint16_t>(instanceIds, extents);
    else if (instanceIds.type() == CV_32SC1)
        accumulate<std::int32_t>(instanceIds, extents);
    else if (!instanceIds.empty())
        throw Error("boxesFromInstanceIds: expected a CV_16UC1 or CV_32SC1 instance map");

    std::vector<Box> boxes;
    for (const auto& [value, e] : extents) {
        if (value < 1000) continue; // stuff or a group region: no instance identity
        const int cls = cityscapes::detClassForLabelId(value / 1000);
        if (cls < 0) continue;
        Box b;
        b.x1 = static_cast<float>(e.x0);
        b.y1 = static_cast<float>(e.y0);
        b.x2 = static_cast<float>(e.x1 + 1);
        b.y2 = static_cast<float>(e.y1 + 1);
        b.cls = cls;
        boxes.push_back(b);
    }
    return boxes;
}

} // namespace mtl
