#include "core/data/CityscapesDataset.h"

#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

namespace fs = std::filesystem;

namespace mtl {

namespace {

const std::string kImageSuffix = "_leftImg8bit.png";

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Sub-folders (cities) of `dir`, or the files in it; error_code overloads so that unreadable
// folders become DataErrors instead of std::filesystem exceptions.
std::vector<fs::path> listDir(const fs::path& dir, bool folders) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) throw DataError(dir.string() + ": cannot list folder (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
        if (ec) throw DataError(dir.string() + ": cannot list folder (" + ec.message() + ")");
        std::error_code typeEc;
        const bool isDir = it->is_directory(typeEc);
        if (!typeEc && isDir == folders) out.push_back(it->path());
    }
    return out;
}

[[noreturn]] void fail(const std::string& file, const std::string& id, const std::string& what) {
    throw DataError(file + ": " + what + " (image " + id + ")");
}

// imread returns an empty Mat for most bad files but may throw for some malformed ones.
cv::Mat readImage(const std::string& file, const std::string& id, int flags) {
    if (!isFile(file)) fail(file, id, "file not found");
    cv::Mat m;
    try {
        m = cv::imread(file, flags);
    } catch (const cv::Exception&) {
        m.release();
    }
    if (m.empty()) fail(file, id, "cannot decode");
    return m;
}

} // namespace

CityscapesDataset::CityscapesDataset(std::string root, std::string split)
    : root_(std::move(root)), split_(std::move(split)) {
    const fs::path imageDir = fs::path(root_) / "leftImg8bit" / split_;
    const fs::path gtDir = fs::path(root_) / "gtFine" / split_;
    std::error_code ec;
    if (!fs::is_directory(imageDir, ec))
        throw DataError(imageDir.string() + ": no such folder (split " + split_ + ")");
    // Without gtFine/SPLIT the split is unlabeled (e.g. a test split shipped without labels);
    // with it, every image must have its label files.
    const bool labeled = fs::is_directory(gtDir, ec);

    for (const fs::path& cityDir : listDir(imageDir, true)) {
        const std::string city = cityDir.filename().string();
        for (const fs::path& file : listDir(cityDir, false)) {
            const std::string name = file.filename().string();
            if (!endsWith(name, kImageSuffix)) continue;
            Entry e;
            e.id = name.substr(0, name.size() - kImageSuffix.size());
            e.image = file.string();
            if (labeled) {
                const fs::path stem = gtDir / city / e.id;
                e.labelIds = stem.string() + "_gtFine_labelIds.png";
                e.instanceIds = stem.string() + "_gtFine_instanceIds.png";
                if (!isFile(e.labelIds)) fail(e.labelIds, e.id, "ground truth file not found");
                if (!isFile(e.instanceIds)) fail(e.instanceIds, e.id, "ground truth file not found");
            }
            entries_.push_back(std::move(e));
        }
    }
    if (entries_.empty())
        throw DataError(imageDir.string() + ": no *" + kImageSuffix + " images (split " + split_ + ")");
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.id < b.id; });
}

Sample CityscapesDataset::load(std::size_t i) const {
    const Entry& e = entries_.at(i);
    Sample s;
    s.id = e.id;
    const cv::Mat bgr = readImage(e.image, e.id, cv::IMREAD_COLOR);
    cv::cvtColor(bgr, s.image, cv::COLOR_BGR2RGB);

    if (!e.labelIds.empty()) {
        const cv::Mat labelIds = readImage(e.labelIds, e.id, cv::IMREAD_UNCHANGED);
        if (labelIds.type() != CV_8UC1) fail(e.labelIds, e.id, "expected an 8-bit single-channel PNG");
        if (labelIds.size() != s.image.size()) fail(e.labelIds, e.id, "size differs from the image");
        s.seg = labelIdsToTrainIds(labelIds);
        s.hasSeg = true;
    }
    if (!e.instanceIds.empty()) {
        const cv::Mat instanceIds = readImage(e.instanceIds, e.id, cv::IMREAD_UNCHANGED);
        if (instanceIds.type() != CV_16UC1)
            fail(e.instanceIds, e.id, "expected a 16-bit single-channel PNG");
        if (instanceIds.size() != s.image.size()) fail(e.instanceIds, e.id, "size differs from the image");
        s.boxes = boxesFromInstanceIds(instanceIds);
        s.hasDet = true;
    }
    return s;
}

cv::Mat labelIdsToTrainIds(const cv::Mat& labelIds) {
    if (labelIds.type() != CV_8UC1) throw Error("labelIdsToTrainIds: expected a CV_8UC1 label map");
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

template <typename T>
void accumulate(const cv::Mat& ids, std::map<int, Extent>& extents) {
    for (int y = 0; y < ids.rows; ++y) {
        const T* row = ids.ptr<T>(y);
        // Instances come in horizontal runs, so one map update per run instead of per pixel.
        for (int x = 0; x < ids.cols;) {
            const int v = static_cast<int>(row[x]);
            int end = x + 1;
            while (end < ids.cols && static_cast<int>(row[end]) == v) ++end;
            if (v >= 1000) {
                auto [it, fresh] = extents.try_emplace(v, Extent{x, y, end - 1, y});
                if (!fresh) {
                    Extent& e = it->second;
                    e.x0 = std::min(e.x0, x);
                    e.x1 = std::max(e.x1, end - 1);
                    e.y1 = y; // rows are visited in order, so y only grows
                }
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
