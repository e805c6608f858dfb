#include "core/data/synthetic/SynthCanvas.h"

#include <opencv2/imgproc.hpp>

namespace mtl::synth {

Rgb jitter(Rng& rng, Rgb c, int amount) {
    const int shade = rng.range(-amount, amount);
    const int dr = rng.range(-amount / 3, amount / 3), dg = rng.range(-amount / 3, amount / 3),
              db = rng.range(-amount / 3, amount / 3);
    return {clamp255(c.r + shade + dr), clamp255(c.g + shade + dg), clamp255(c.b + shade + db)};
}

Rgb scaled(Rgb c, int percent) {
    return {clamp255(c.r * percent / 100), clamp255(c.g * percent / 100), clamp255(c.b * percent / 100)};
}

Rgb mix(Rgb a, Rgb b, int percentB) {
    return {a.r + (b.r - a.r) * percentB / 100, a.g + (b.g - a.g) * percentB / 100, a.b + (b.b - a.b) * percentB / 100};
}

Canvas::Canvas(int w, int h)
    : rgb(h, w, CV_8UC3, cv::Scalar::all(0)), labelIds(h, w, CV_8UC1, cv::Scalar(0)),
      instanceIds(h, w, CV_16UC1, cv::Scalar(0)), material(h, w, CV_8UC1, cv::Scalar(0)) {}

template <typename Draw> void Canvas::paint(const Ink& ink, Draw draw) {
    draw(rgb, cv::Scalar(ink.color.r, ink.color.g, ink.color.b));
    draw(labelIds, cv::Scalar(ink.label));
    draw(instanceIds, cv::Scalar(ink.instance));
    draw(material, cv::Scalar(static_cast<int>(ink.material)));
}

void Canvas::put(int x, int y, const Ink& ink) {
    rgb.ptr<cv::Vec3b>(y)[x] = cv::Vec3b(ink.color.r, ink.color.g, ink.color.b);
    labelIds.ptr<std::uint8_t>(y)[x] = static_cast<std::uint8_t>(ink.label);
    instanceIds.ptr<std::uint16_t>(y)[x] = static_cast<std::uint16_t>(ink.instance);
    material.ptr<std::uint8_t>(y)[x] = static_cast<std::uint8_t>(ink.material);
}

void Canvas::rect(int x0, int y0, int x1, int y1, const Ink& ink) {
    if (x1 < x0) std::swap(x0, x1);
    if (y1 < y0) std::swap(y0, y1);
    paint(ink, [&](cv::Mat& m, const cv::Scalar& v) {
        cv::rectangle(m, cv::Point(x0, y0), cv::Point(x1, y1), v, cv::FILLED, cv::LINE_8);
    });
}

void Canvas::row(int y, int x0, int x1, const Ink& ink) {
    if (y < 0 || y >= height()) return;
    x0 = std::max(x0, 0);
    x1 = std::min(x1, width() - 1);
    for (int x = x0; x <= x1; ++x) put(x, y, ink);
}

void Canvas::poly(const std::vector<cv::Point>& pts, const Ink& ink) {
    paint(ink, [&](cv::Mat& m, const cv::Scalar& v) {
        cv::fillPoly(m, std::vector<std::vector<cv::Point>>{pts}, v, cv::LINE_8);
    });
}

void Canvas::bar(cv::Point a, cv::Point b, int thickness, const Ink& ink) {
    if (thickness <= 1) {
        paint(ink, [&](cv::Mat& m, const cv::Scalar& v) { cv::line(m, a, b, v, 1, cv::LINE_8); });
        return;
    }
    const int lo = -(thickness - 1) / 2, hi = thickness / 2;
    const bool flat = std::abs(b.x - a.x) >= std::abs(b.y - a.y);
    const cv::Point d0 = flat ? cv::Point(0, lo) : cv::Point(lo, 0);
    const cv::Point d1 = flat ? cv::Point(0, hi) : cv::Point(hi, 0);
    poly({a + d0, b + d0, b + d1, a + d1}, ink);
}

void Canvas::disc(cv::Point c, int outer, int inner, const Ink& ink) {
    if (outer < 1) outer = 1;
    const int out2 = outer * outer + outer, in2 = inner > 0 ? inner * inner + inner : -1;
    const int y0 = std::max(0, c.y - outer), y1 = std::min(height() - 1, c.y + outer);
    const int x0 = std::max(0, c.x - outer), x1 = std::min(width() - 1, c.x + outer);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const int d2 = (x - c.x) * (x - c.x) + (y - c.y) * (y - c.y);
            if (d2 <= out2 && d2 > in2) put(x, y, ink);
        }
}

void Canvas::ellipse(cv::Point c, int rx, int ry, const Ink& ink) {
    rx = std::max(rx, 1);
    ry = std::max(ry, 1);
    const std::int64_t r2 = std::int64_t(rx) * rx * ry * ry;
    const int y0 = std::max(0, c.y - ry), y1 = std::min(height() - 1, c.y + ry);
    const int x0 = std::max(0, c.x - rx), x1 = std::min(width() - 1, c.x + rx);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const std::int64_t dx = x - c.x, dy = y - c.y;
            if (dx * dx * ry * ry + dy * dy * rx * rx <= r2) put(x, y, ink);
        }
}

} // namespace mtl::synth
