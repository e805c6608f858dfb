#pragma once
// The Cityscapes label definitions (cityscapesScripts helpers/labels.py): label ids, the 19 train
// ids used for segmentation, the 8 instance classes used for detection, and the colour palette.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mtl::cityscapes {

constexpr int kNumSegClasses = 19;
constexpr int kNumDetClasses = 8;
constexpr std::uint8_t kIgnore = 255;
constexpr int kFirstDetTrainId = 11; // person; detection class = trainId - 11

struct Label {
    int id;              // labelId as stored in *_gtFine_labelIds.png (-1 for license plate)
    const char* name;
    int trainId;         // 0..18, or 255
    bool hasInstances;   // instanceIds.png stores id*1000+k for these
    std::array<std::uint8_t, 3> color; // RGB
};

const std::vector<Label>& labels();
// 256-entry look-up table labelId -> trainId (255 for everything not evaluated).
const std::array<std::uint8_t, 256>& labelIdToTrainId();
// Inverse for the 19 train ids (used when writing label maps and by the generator).
int trainIdToLabelId(int trainId);
std::string segClassName(int trainId);          // "road", ... ; "ignore" for 255
std::string detClassName(int detClass);         // "person", ..., "bicycle"
std::array<std::uint8_t, 3> trainIdColor(int trainId); // palette; black for 255
// Whether a value of a *_labelIds.png is a Cityscapes label id (0..33; 255 is accepted as the
// license plate's -1 stored in 8 bits).
bool isKnownLabelId(int value);
// Detection class (0..7) for a labelId, or -1 if the label is not one of the 8 instance classes.
int detClassForLabelId(int labelId);

} // namespace mtl::cityscapes
