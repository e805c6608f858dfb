#pragma once
// Repeat factor sampling (Gupta, Dollár & Girshick, "LVIS", CVPR 2019; detectron2's
// RepeatFactorTrainingSampler): images that hold a class few images hold are drawn more often, so
// a rare class is seen more than its handful of images would allow. For threshold t, a class held
// by a fraction f of the images labeled for its task gets r = max(1, sqrt(t / f)); an image repeats
// as often as its rarest class asks. Both tasks' classes count, each over the images labeled for
// that task (detection: the classes of its boxes; segmentation: the classes in its label map), so
// images labeled for one task only are oversampled too. Images without labels keep 1.
#include "core/data/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

struct RepeatFactors {
    std::vector<double> perImage; // parallel to the pool given
    std::vector<double> detClass; // r per detection class (1: not oversampled)
    std::vector<double> segClass; // r per segmentation class
    // One line for the run log: the pool's size before and after, and the oversampled classes.
    std::string summary(const ClassNames& names, std::size_t poolSize, std::size_t repeatedSize) const;
};

// Reads the labels of every pool image (threads: 0 = all cores). threshold > 0.
RepeatFactors repeatFactors(const Dataset& data, const std::vector<std::size_t>& pool, double threshold,
                            int threads);

// The pool with image k listed floor(r_k) times, plus once more with probability frac(r_k). The
// rounding is drawn once from the seed (detectron2 redraws it every epoch): the epoch that the
// sampler then walks is fixed, and batch b stays a pure function of (seed, b).
std::vector<std::size_t> repeatedPool(const std::vector<std::size_t>& pool, const std::vector<double>& perImage,
                                      std::uint64_t seed);

} // namespace mtl
