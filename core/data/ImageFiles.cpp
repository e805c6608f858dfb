#include "core/data/ImageFiles.h"

#include "core/common/Error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

namespace fs = std::filesystem;

namespace mtl::imagefiles {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool isFolder(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

std::vector<fs::path> list(const fs::path& dir, bool folders) {
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
    std::sort(out.begin(), out.end());
    return out;
}

void fail(const std::string& file, const std::string& id, const std::string& what) {
    throw DataError(file + ": " + what + " (image " + id + ")");
}

namespace {

// libjpeg decodes a truncated JPEG into a grey-padded image with only a warning, which would be a
// silently wrong sample; a complete file ends with the EOI marker (FF D9), possibly followed by a
// few padding bytes. PNG truncation is caught by libpng itself (a CRC or missing-chunk error).
bool jpegLooksComplete(const std::vector<uchar>& bytes) {
    const std::size_t n = bytes.size();
    const std::size_t from = n > 64 ? n - 64 : 0;
    for (std::size_t i = n; i-- > from + 1;)
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9) return true;
    return false;
}

} // namespace

cv::Mat read(const std::string& file, const std::string& id, int flags) {
    if (!isFile(file)) fail(file, id, "file not found");
    std::vector<uchar> bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) fail(file, id, "cannot read");
    }
    const bool jpeg = bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
    if (jpeg && !jpegLooksComplete(bytes)) fail(file, id, "truncated JPEG (no end-of-image marker)");
    cv::Mat m;
    try { // imdecode returns an empty Mat for most bad files but throws for some malformed ones
        m = cv::imdecode(bytes, flags);
    } catch (const cv::Exception&) {
        m.release();
    }
    if (m.empty()) fail(file, id, "cannot decode (unreadable, truncated or not an image)");
    return m;
}

cv::Size readSize(const std::string& file, const std::string& id) {
    std::ifstream in(file, std::ios::binary);
    if (!in) fail(file, id, "file not found");
    auto byte = [&]() -> int {
        const int c = in.get();
        if (c == EOF) fail(file, id, "truncated image header");
        return c;
    };
    auto be16 = [&] { const int hi = byte(); return hi << 8 | byte(); };
    const int b0 = byte(), b1 = byte();
    if (b0 == 0x89 && b1 == 'P') { // PNG: 8-byte signature, IHDR length and type, then width, height
        in.seekg(16);
        const int w = be16() << 16 | be16(), h = be16() << 16 | be16();
        return {w, h};
    }
    if (b0 == 0xFF && b1 == 0xD8) { // JPEG: walk the markers up to a start-of-frame
        for (;;) {
            int marker = byte();
            if (marker != 0xFF) fail(file, id, "corrupt JPEG header");
            while (marker == 0xFF) marker = byte();
            const int length = be16();
            const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                byte(); // sample precision
                const int h = be16(), w = be16();
                return {w, h};
            }
            in.seekg(length - 2, std::ios::cur);
        }
    }
    fail(file, id, "not a PNG or JPEG file");
}

cv::Mat readRgb(const std::string& file, const std::string& id) {
    cv::Mat rgb;
    cv::cvtColor(read(file, id, cv::IMREAD_COLOR), rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

Sample sampleWithImage(const std::string& id, const std::string& imageFile, bool decode) {
    Sample s;
    s.id = id;
    if (decode) {
        s.image = readRgb(imageFile, id);
        s.imageSize = s.image.size();
    } else {
        s.imageSize = readSize(imageFile, id);
    }
    return s;
}

} // namespace mtl::imagefiles
