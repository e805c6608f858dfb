#pragma once
// A 2-D affine map as a 3×3 matrix (last row 0 0 1), the record every augmented view keeps.
//
// Coordinates are continuous pixel coordinates: pixel (row i, column j) covers [j, j+1)×[i, i+1),
// its centre is (j + 0.5, i + 0.5), and an image of width W spans [0, W]. Boxes (core/data/Sample.h)
// use the same convention, so one matrix moves pixels and box edges alike; a horizontal flip of a
// frame of width W is x → W − x (pixel column j lands on column W − 1 − j).
#include <array>

namespace mtl {

struct Point2D {
    double x = 0, y = 0;
};

class Affine2D {
public:
    Affine2D() : m_{1, 0, 0, 0, 1, 0, 0, 0, 1} {}
    // Row-major 2×3 part (a b tx; c d ty): x' = a x + b y + tx, y' = c x + d y + ty.
    Affine2D(double a, double b, double tx, double c, double d, double ty) : m_{a, b, tx, c, d, ty, 0, 0, 1} {}

    static Affine2D translation(double tx, double ty) { return {1, 0, tx, 0, 1, ty}; }
    static Affine2D scaling(double sx, double sy) { return {sx, 0, 0, 0, sy, 0}; }
    // Mirror of a frame of width `width`: x → width − x.
    static Affine2D horizontalFlip(double width) { return {-1, 0, width, 0, 1, 0}; }
    // Rotation by `degrees` about `centre`, counter-clockwise as seen on screen (y points down),
    // as PIL's Image.rotate: a point right of the centre moves up.
    static Affine2D rotation(double degrees, Point2D centre);
    // x' = x + tan(degrees)·(y − centre.y): rows slide sideways, the centre row stays.
    static Affine2D shearX(double degrees, Point2D centre);
    // y' = y + tan(degrees)·(x − centre.x): columns slide up or down, the centre column stays.
    static Affine2D shearY(double degrees, Point2D centre);

    double operator()(int row, int col) const { return m_[static_cast<std::size_t>(row * 3 + col)]; }
    // (*this * other) applies `other` first.
    Affine2D operator*(const Affine2D& other) const;
    Point2D apply(Point2D p) const;
    double determinant() const { return m_[0] * m_[4] - m_[1] * m_[3]; }
    // Throws InputError when the map is singular (|det| < 1e-12) or not finite.
    Affine2D inverse() const;
    bool isFinite() const;

private:
    std::array<double, 9> m_;
};

} // namespace mtl
