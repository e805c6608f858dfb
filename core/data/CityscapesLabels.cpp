#include "core/data/CityscapesLabels.h"

namespace mtl::cityscapes {

const std::vector<Label>& labels() {
    // Same rows, order and colours as cityscapesScripts helpers/labels.py, so colour images and
    // submissions are interchangeable with the official tools. License plate keeps id -1 but uses
    // 255 as train id (the official -1 would not fit the 8-bit masks).
    static const std::vector<Label> table = {
        {0, "unlabeled", 255, false, {0, 0, 0}},
        {1, "ego vehicle", 255, false, {0, 0, 0}},
        {2, "rectification border", 255, false, {0, 0, 0}},
        {3, "out of roi", 255, false, {0, 0, 0}},
        {4, "static", 255, false, {0, 0, 0}},
        {5, "dynamic", 255, false, {111, 74, 0}},
        {6, "ground", 255, false, {81, 0, 81}},
        {7, "road", 0, false, {128, 64, 128}},
        {8, "sidewalk", 1, false, {244, 35, 232}},
        {9, "parking", 255, false, {250, 170, 160}},
        {10, "rail track", 255, false, {230, 150, 140}},
        {11, "building", 2, false, {70, 70, 70}},
        {12, "wall", 3, false, {102, 102, 156}},
        {13, "fence", 4, false, {190, 153, 153}},
        {14, "guard rail", 255, false, {180, 165, 180}},
        {15, "bridge", 255, false, {150, 100, 100}},
        {16, "tunnel", 255, false, {150, 120, 90}},
        {17, "pole", 5, false, {153, 153, 153}},
        {18, "polegroup", 255, false, {153, 153, 153}},
        {19, "traffic light", 6, false, {250, 170, 30}},
        {20, "traffic sign", 7, false, {220, 220, 0}},
        {21, "vegetation", 8, false, {107, 142, 35}},
        {22, "terrain", 9, false, {152, 251, 152}},
        {23, "sky", 10, false, {70, 130, 180}},
        {24, "person", 11, true, {220, 20, 60}},
        {25, "rider", 12, true, {255, 0, 0}},
        {26, "car", 13, true, {0, 0, 142}},
        {27, "truck", 14, true, {0, 0, 70}},
        {28, "bus", 15, true, {0, 60, 100}},
        {29, "caravan", 255, true, {0, 0, 90}},
        {30, "trailer", 255, true, {0, 0, 110}},
        {31, "train", 16, true, {0, 80, 100}},
        {32, "motorcycle", 17, true, {0, 0, 230}},
        {33, "bicycle", 18, true, {119, 11, 32}},
        {-1, "license plate", 255, false, {0, 0, 142}},
    };
    return table;
}

const std::array<std::uint8_t, 256>& labelIdToTrainId() {
    static const std::array<std::uint8_t, 256> lut = [] {
        std::array<std::uint8_t, 256> t{};
        t.fill(kIgnore);
        for (const Label& l : labels())
            if (l.id >= 0) t[static_cast<std::size_t>(l.id)] = static_cast<std::uint8_t>(l.trainId);
        return t;
    }();
    return lut;
}

namespace {

// Rows of the 19 evaluated classes, indexed by train id.
const std::array<const Label*, kNumSegClasses>& byTrainId() {
    static const std::array<const Label*, kNumSegClasses> index = [] {
        std::array<const Label*, kNumSegClasses> t{};
        for (const Label& l : labels())
            if (l.id >= 0 && l.trainId < kNumSegClasses) t[static_cast<std::size_t>(l.trainId)] = &l;
        return t;
    }();
    return index;
}

const Label* labelForTrainId(int trainId) {
    if (trainId < 0 || trainId >= kNumSegClasses) return nullptr;
    return byTrainId()[static_cast<std::size_t>(trainId)];
}

} // namespace

int trainIdToLabelId(int trainId) {
    const Label* l = labelForTrainId(trainId);
    return l ? l->id : 0; // 0 = unlabeled, the official fallback for "no class"
}

std::string segClassName(int trainId) {
    const Label* l = labelForTrainId(trainId);
    return l ? l->name : "ignore";
}

std::string detClassName(int detClass) {
    if (detClass < 0 || detClass >= kNumDetClasses) return "unknown";
    return segClassName(kFirstDetTrainId + detClass);
}

std::array<std::uint8_t, 3> trainIdColor(int trainId) {
    const Label* l = labelForTrainId(trainId);
    return l ? l->color : std::array<std::uint8_t, 3>{0, 0, 0};
}

bool isKnownLabelId(int value) {
    static const std::array<bool, 256> known = [] {
        std::array<bool, 256> t{};
        for (const Label& l : labels()) t[static_cast<std::size_t>(l.id >= 0 ? l.id : 255)] = true;
        return t;
    }();
    return value >= 0 && value < 256 && known[static_cast<std::size_t>(value)];
}

int detClassForLabelId(int labelId) {
    if (labelId < 0 || labelId > 255) return -1;
    const int trainId = labelIdToTrainId()[static_cast<std::size_t>(labelId)];
    // Train ids 11..18 are exactly the instance classes that are evaluated (caravan and trailer
    // have instances but train id 255, so they drop out here).
    if (trainId < kFirstDetTrainId || trainId >= kFirstDetTrainId + kNumDetClasses) return -1;
    return trainId - kFirstDetTrainId;
}

} // namespace mtl::cityscapes
