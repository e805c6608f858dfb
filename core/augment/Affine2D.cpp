#include "core/augment/Affine2D.h"

#include "core/common/Error.h"

#include <cmath>

namespace mtl {
namespace {
constexpr double kDegree = 3.14159265358979323846 / 180.0;

// Conjugates a linear map L by a translation to the centre: p → c + L (p − c).
Affine2D aboutCentre(double a, double b, double c, double d, Point2D centre) {
    return Affine2D::translation(centre.x, centre.y) * Affine2D(a, b, 0, c, d, 0) *
           Affine2D::translation(-centre.x, -centre.y);
}
} // namespace

Affine2D Affine2D::rotation(double degrees, Point2D centre) {
    const double cs = std::cos(degrees * kDegree), sn = std::sin(degrees * kDegree);
    // With y pointing down, the screen-counter-clockwise rotation is the mathematical clockwise one.
    return aboutCentre(cs, sn, -sn, cs, centre);
}

Affine2D Affine2D::shearX(double degrees, Point2D centre) {
    return aboutCentre(1, std::tan(degrees * kDegree), 0, 1, centre);
}

Affine2D Affine2D::shearY(double degrees, Point2D centre) {
    return aboutCentre(1, 0, std::tan(degrees * kDegree), 1, centre);
}

Affine2D Affine2D::operator*(const Affine2D& o) const {
    Affine2D r;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            double s = 0;
            for (int k = 0; k < 3; ++k) s += (*this)(i, k) * o(k, j);
            r.m_[static_cast<std::size_t>(i * 3 + j)] = s;
        }
    return r;
}

Point2D Affine2D::apply(Point2D p) const {
    return {m_[0] * p.x + m_[1] * p.y + m_[2], m_[3] * p.x + m_[4] * p.y + m_[5]};
}

bool Affine2D::isFinite() const {
    for (double v : m_)
        if (!std::isfinite(v)) return false;
    return true;
}

Affine2D Affine2D::inverse() const {
    const double det = determinant();
    if (!isFinite() || !(std::abs(det) >= 1e-12))
        throw InputError("affine map is singular or not finite (determinant " + std::to_string(det) + ")");
    const double a = m_[4] / det, b = -m_[1] / det, c = -m_[3] / det, d = m_[0] / det;
    return {a, b, -(a * m_[2] + b * m_[5]), c, d, -(c * m_[2] + d * m_[5])};
}

} // namespace mtl
