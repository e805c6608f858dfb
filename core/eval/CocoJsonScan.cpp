#include "core/eval/CocoJsonScan.h"

#include "core/common/JsonScanner.h"

#include <cmath>
#include <set>

namespace mtl::cocojson {
namespace {

// Marks each of an object's keys as seen: a key given twice leaves the scan (the DOM keeps one of
// them, which is not worth imitating). Objects have a handful of keys: a linear search, and one
// buffer reused across the objects of an array.
class Keys {
public:
    bool first(std::string_view key) {
        for (const auto& k : seen_)
            if (k == key) return false;
        seen_.push_back(key);
        return true;
    }
    void clear() { seen_.clear(); }

private:
    std::vector<std::string_view> seen_;
};

bool scanBox(JsonScanner& in, double xywh[4]) {
    if (!in.expect('[')) return false;
    for (int i = 0; i < 4; ++i)
        if ((i > 0 && !in.expect(',')) || !in.number(xywh[i])) return false;
    return in.expect(']');
}

// An array of objects, each member handed to `member(key)`, which reads its value (returning
// false to leave the scan); `done()` runs after each object.
template <typename Member, typename Done>
bool scanObjects(JsonScanner& in, Member member, Done done) {
    if (!in.expect('[')) return false;
    if (in.consume(']')) return true;
    Keys keys;
    do {
        if (!in.expect('{')) return false;
        keys.clear();
        if (!in.consume('}')) {
            do {
                std::string_view key;
                if (!in.key(key) || !keys.first(key) || !member(key)) return false;
            } while (in.next('}'));
            if (in.failed()) return false;
        }
        if (!done()) return false;
    } while (in.next(']'));
    return !in.failed();
}

std::optional<int> indexIn(std::int64_t id, const std::map<std::int64_t, int>& known) {
    const auto it = known.find(id);
    if (it == known.end()) return std::nullopt;
    return it->second;
}

struct Annotation {
    std::int64_t image = 0, category = 0;
    double xywh[4] = {0, 0, 0, 0};
    bool crowd = false;
};

} // namespace

const char* boxProblem(const double xywh[4]) {
    if (!(xywh[2] > 0)) return "width must be > 0";
    if (!(xywh[3] > 0)) return "height must be > 0";
    // Box stores floats: a tiny box far from the origin would collapse to zero size.
    const Box b = boxOf(xywh, 0);
    if (!(b.x2 > b.x1) || !(b.y2 > b.y1)) return "box too small to represent in single precision at this position";
    return nullptr;
}

Box boxOf(const double xywh[4], int cls) {
    Box b;
    b.x1 = static_cast<float>(xywh[0]);
    b.y1 = static_cast<float>(xywh[1]);
    b.x2 = static_cast<float>(xywh[0] + xywh[2]);
    b.y2 = static_cast<float>(xywh[1] + xywh[3]);
    b.cls = cls;
    return b;
}

std::optional<CocoGroundTruth> scanGroundTruth(std::string_view text, const std::string& path) {
    JsonScanner in(text);
    std::vector<std::pair<std::int64_t, std::string_view>> categories;
    std::vector<std::int64_t> images;
    std::vector<Annotation> annotations;
    bool hasCategories = false, hasImages = false, hasAnnotations = false;

    if (!in.expect('{') || in.consume('}')) return std::nullopt;
    Keys topKeys;
    do {
        std::string_view key;
        if (!in.key(key) || !topKeys.first(key)) return std::nullopt;
        bool ok = true;
        if (key == "categories") {
            hasCategories = true;
            std::optional<std::int64_t> id;
            std::optional<std::string_view> name;
            ok = scanObjects(
                in,
                [&](std::string_view k) {
                    if (k == "id") return in.integer(id.emplace());
                    if (k == "name") return in.string(name.emplace());
                    return in.skipValue();
                },
                [&] {
                    if (!id || !name) return false;
                    categories.emplace_back(*id, *name);
                    id.reset();
                    name.reset();
                    return true;
                });
        } else if (key == "images") {
            hasImages = true;
            std::optional<std::int64_t> id;
            ok = scanObjects(
                in, [&](std::string_view k) { return k == "id" ? in.integer(id.emplace()) : in.skipValue(); },
                [&] {
                    if (!id) return false;
                    images.push_back(*id);
                    id.reset();
                    return true;
                });
        } else if (key == "annotations") {
            hasAnnotations = true;
            Annotation a;
            int have = 0; // image_id, category_id and bbox are required
            ok = scanObjects(
                in,
                [&](std::string_view k) {
                    if (k == "image_id") {
                        ++have;
                        return in.integer(a.image);
                    }
                    if (k == "category_id") {
                        ++have;
                        return in.integer(a.category);
                    }
                    if (k == "bbox") {
                        ++have;
                        return scanBox(in, a.xywh);
                    }
                    if (k == "iscrowd") {
                        bool flag = false;
                        std::int64_t value = 0;
                        // 0, 1, true or false; anything else is the DOM reader's error.
                        JsonScanner probe = in;
                        if (probe.boolean(flag)) {
                            in = probe;
                            a.crowd = flag;
                            return true;
                        }
                        if (!in.integer(value) || (value != 0 && value != 1)) return false;
                        a.crowd = value == 1;
                        return true;
                    }
                    return in.skipValue();
                },
                [&] {
                    if (have != 3) return false;
                    annotations.push_back(a);
                    a = Annotation();
                    have = 0;
                    return true;
                });
        } else {
            ok = in.skipValue();
        }
        if (!ok) return std::nullopt;
    } while (in.next('}'));
    if (in.failed() || !in.atEnd() || !hasCategories || !hasImages || !hasAnnotations || categories.empty())
        return std::nullopt;

    CocoGroundTruth gt;
    gt.file = path;
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const auto& [id, name] = categories[i];
        if (!gt.classOfCategory.emplace(id, static_cast<int>(i)).second || !names.insert(name).second)
            return std::nullopt;
        gt.classNames.emplace_back(name);
    }
    for (const std::int64_t id : images)
        if (!gt.indexOfImage.emplace(id, 0).second) return std::nullopt;
    int index = 0;
    for (auto& [id, idx] : gt.indexOfImage) idx = index++;
    gt.boxes.resize(gt.indexOfImage.size());
    for (const Annotation& a : annotations) {
        const auto image = indexIn(a.image, gt.indexOfImage);
        const auto cls = indexIn(a.category, gt.classOfCategory);
        if (!image || !cls || boxProblem(a.xywh)) return std::nullopt;
        Box b = boxOf(a.xywh, *cls);
        b.crowd = a.crowd;
        gt.boxes[std::size_t(*image)].push_back(b);
    }
    return gt;
}

std::optional<std::vector<std::vector<Detection>>> scanResults(std::string_view text, const CocoGroundTruth& gt) {
    JsonScanner in(text);
    std::vector<std::vector<Detection>> dets(gt.boxes.size());
    std::int64_t image = 0, category = 0;
    double xywh[4] = {0, 0, 0, 0}, score = 0;
    int have = 0; // all four keys are required
    std::int64_t lastImage = 0;
    std::optional<int> lastIndex;
    const bool ok = scanObjects(
        in,
        [&](std::string_view k) {
            if (k == "image_id") {
                ++have;
                return in.integer(image);
            }
            if (k == "category_id") {
                ++have;
                return in.integer(category);
            }
            if (k == "bbox") {
                ++have;
                return scanBox(in, xywh);
            }
            if (k == "score") {
                ++have;
                return in.number(score);
            }
            return in.skipValue();
        },
        [&] {
            // Results lists come grouped by image: the last image's index is usually the one.
            if (image != lastImage || !lastIndex) {
                lastImage = image;
                lastIndex = indexIn(image, gt.indexOfImage);
            }
            const auto index = lastIndex;
            const auto cls = indexIn(category, gt.classOfCategory);
            if (have != 4 || !index || !cls || boxProblem(xywh)) return false;
            Detection d;
            d.box = boxOf(xywh, *cls);
            d.score = static_cast<float>(score);
            if (!std::isfinite(d.score)) return false;
            dets[std::size_t(*index)].push_back(d);
            have = 0;
            return true;
        });
    if (!ok || !in.atEnd()) return std::nullopt;
    return dets;
}

} // namespace mtl::cocojson
