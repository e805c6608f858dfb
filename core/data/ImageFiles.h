#pragma once
// File-system and decoding helpers shared by the data set readers: every failure becomes a
// DataError naming the file (and the image id), never a std::filesystem or OpenCV exception.
#include "core/data/Sample.h"

#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace mtl::imagefiles {

bool endsWith(const std::string& s, const std::string& suffix);
bool isFile(const std::filesystem::path& p);
bool isFolder(const std::filesystem::path& p);
// Sub-folders (folders = true) or files of `dir`, sorted by name.
std::vector<std::filesystem::path> list(const std::filesystem::path& dir, bool folders);
[[noreturn]] void fail(const std::string& file, const std::string& id, const std::string& what);
// cv::imread with errors: a missing file, an undecodable or truncated one.
cv::Mat read(const std::string& file, const std::string& id, int flags);
// Width and height from a PNG (IHDR) or JPEG (SOFn) header, without decoding the pixels.
cv::Size readSize(const std::string& file, const std::string& id);
// BGR → RGB, the order every Sample uses.
cv::Mat readRgb(const std::string& file, const std::string& id);
// A sample with its id and its image decoded (decode = true) or only its size read from the header.
Sample sampleWithImage(const std::string& id, const std::string& imageFile, bool decode);

} // namespace mtl::imagefiles
