#include "core/eval/CocoEvaluator.h"

#include "core/common/Error.h"
#include "core/common/ParallelFor.h"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <string>

namespace mtl {
namespace {

constexpr int kNumIouThresholds = 10;
constexpr int kNumRecallThresholds = 101;
// pycocotools' area range "all": [0, 1e10], inclusive at both ends.
constexpr double kMinArea = 0.0, kMaxArea = 1e10;

// numpy.linspace(start, stop, num): i * ((stop - start) / (num - 1)) + start, last value = stop.
// Reproduced operation for operation because the thresholds are compared with IoUs and recalls
// that can equal them exactly (0.7 recall must not reach the 0.7000000000000001 threshold).
template <int N>
std::array<double, N> linspace(double start, double stop) {
    std::array<double, N> out{};
    const double step = (stop - start) / (N - 1);
    for (int i = 0; i < N; ++i)
        out[i] = static_cast<double>(i) * step + start;
    out[N - 1] = stop;
    return out;
}

const std::array<double, kNumIouThresholds> kIouThresholds =
    linspace<kNumIouThresholds>(0.5, 0.95);
const std::array<double, kNumRecallThresholds> kRecallThresholds =
    linspace<kNumRecallThresholds>(0.0, 1.0);

// A box as pycocotools sees it: [x, y, w, h] in doubles.
struct XYWH {
    double x, y, w, h;
    explicit XYWH(const Box& b)
        : x(b.x1), y(b.y1), w(static_cast<double>(b.x2) - b.x1),
          h(static_cast<double>(b.y2) - b.y1) {}
    double area() const { return w * h; }
};

// maskApi.c bbIou: for crowd ground truth the union is the detection's area alone.
double boxIou(const XYWH& d, const XYWH& g, bool crowd) {
    const double w = std::min(d.x + d.w, g.x + g.w) - std::max(d.x, g.x);
    if (w <= 0)
        return 0;
    const double h = std::min(d.y + d.h, g.y + g.h) - std::max(d.y, g.y);
    if (h <= 0)
        return 0;
    const double inter = w * h;
    const double uni = crowd ? d.area() : d.area() + g.area() - inter;
    return inter / uni;
}

// evaluateImg's output for one image and class, truncated to maxDets.
struct ImageClassEval {
    std::vector<double> scores; // sorted descending
    // Per threshold t and detection d, at t * scores.size() + d (one allocation, not ten).
    std::vector<char> matched, ignored;
    int numRegularGt = 0; // npig contribution
};

ImageClassEval evaluateImageClass(const std::vector<XYWH>& gtIn, const std::vector<bool>& crowdIn,
                                  const std::vector<const Detection*>& dtIn, int maxDets) {
    ImageClassEval e;

    // Ignored ground truth (crowd or outside the area range) sorted last, keeping the order.
    std::vector<XYWH> gt;
    std::vector<char> gtIgnore, gtCrowd;
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t i = 0; i < gtIn.size(); ++i) {
            const double a = gtIn[i].area();
            const bool ign = crowdIn[i] || a < kMinArea || a > kMaxArea;
            if (ign != (pass == 1))
                continue;
            gt.push_back(gtIn[i]);
            gtIgnore.push_back(ign);
            gtCrowd.push_back(crowdIn[i]);
            if (!ign)
                ++e.numRegularGt;
        }

    std::vector<const Detection*> dt = dtIn;
    std::stable_sort(dt.begin(), dt.end(), [](const Detection* a, const Detection* b) {
        return static_cast<double>(a->score) > static_cast<double>(b->score);
    });
    if (static_cast<int>(dt.size()) > maxDets)
        dt.resize(maxDets);
    const std::size_t D = dt.size(), G = gt.size();

    std::vector<XYWH> dtBox;
    for (const Detection* d : dt) {
        dtBox.emplace_back(d->box);
        e.scores.push_back(d->score);
    }
    std::vector<double> ious(D * G);
    for (std::size_t d = 0; d < D; ++d)
        for (std::size_t g = 0; g < G; ++g)
            ious[d * G + g] = boxIou(dtBox[d], gt[g], gtCrowd[g]);

    e.matched.assign(kNumIouThresholds * D, 0);
    e.ignored.assign(kNumIouThresholds * D, 0);
    std::vector<char> gtMatched(G);
    for (int t = 0; t < kNumIouThresholds; ++t) {
        char* dtMatched = e.matched.data() + t * D;
        char* dtIgnored = e.ignored.data() + t * D;
        std::fill(gtMatched.begin(), gtMatched.end(), 0);
        for (std::size_t d = 0; d < D; ++d) {
            double best = std::min(kIouThresholds[t], 1 - 1e-10);
            int m = -1;
            for (std::size_t g = 0; g < G; ++g) {
                if (gtMatched[g] && !gtCrowd[g])
                    continue;
                // Ignored GTs come last: once a regular GT matched, none of them may take over.
                if (m > -1 && !gtIgnore[m] && gtIgnore[g])
                    break;
                // `<`, not `<=`: a later GT with an equal IoU replaces the match, as in cocoeval.
                if (ious[d * G + g] < best)
                    continue;
                best = ious[d * G + g];
                m = static_cast<int>(g);
            }
            if (m == -1)
                continue;
            dtIgnored[d] = gtIgnore[m];
            dtMatched[d] = 1;
            gtMatched[m] = 1;
        }
        for (std::size_t d = 0; d < D; ++d) {
            const double a = dtBox[d].area();
            if (!dtMatched[d] && (a < kMinArea || a > kMaxArea))
                dtIgnored[d] = 1;
        }
    }
    return e;
}

// cocoeval accumulate() for one class: precision at the 101 recall thresholds per IoU threshold,
// or nothing when the class has no regular ground truth.
std::optional<std::array<double, kNumIouThresholds>>
averagePrecision(const std::vector<ImageClassEval>& evals) {
    int npig = 0;
    std::vector<double> scores;
    for (const auto& e : evals) {
        npig += e.numRegularGt;
        scores.insert(scores.end(), e.scores.begin(), e.scores.end());
    }
    if (npig == 0)
        return std::nullopt;

    // argsort(-scores, kind='mergesort') over the images concatenated in order: stable.
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return -scores[a] < -scores[b]; });
    const std::size_t nd = order.size();

    std::array<double, kNumIouThresholds> ap{};
    for (int t = 0; t < kNumIouThresholds; ++t) {
        std::vector<char> matched, ignored;
        matched.reserve(nd);
        ignored.reserve(nd);
        for (const auto& e : evals) {
            const std::size_t D = e.scores.size();
            matched.insert(matched.end(), e.matched.begin() + t * D, e.matched.begin() + (t + 1) * D);
            ignored.insert(ignored.end(), e.ignored.begin() + t * D, e.ignored.begin() + (t + 1) * D);
        }
        std::vector<double> rc(nd), pr(nd);
        double tp = 0, fp = 0;
        for (std::size_t i = 0; i < nd; ++i) {
            const std::size_t k = order[i];
            if (!ignored[k]) {
                if (matched[k])
                    tp += 1;
                else
                    fp += 1;
            }
            rc[i] = tp / npig;
            pr[i] = tp / (fp + tp + DBL_EPSILON);
        }
        for (std::size_t i = nd; i-- > 1;)
            if (pr[i] > pr[i - 1])
                pr[i - 1] = pr[i];

        double sum = 0;
        for (double r : kRecallThresholds) {
            const std::size_t i = std::lower_bound(rc.begin(), rc.end(), r) - rc.begin();
            if (i >= nd)
                break; // pycocotools leaves the remaining recall thresholds at 0
            sum += pr[i];
        }
        ap[t] = sum / kNumRecallThresholds;
    }
    return ap;
}

} // namespace

CocoEvaluator::CocoEvaluator(int numClasses, int maxDets)
    : numClasses_(numClasses), maxDets_(maxDets) {
    if (numClasses < 1)
        throw Error("CocoEvaluator: number of classes must be positive, got " +
                    std::to_string(numClasses));
    if (maxDets < 1)
        throw Error("CocoEvaluator: maxDets must be positive, got " + std::to_string(maxDets));
}

void CocoEvaluator::addImage(const std::vector<Box>& gt, const std::vector<Detection>& dets) {
    const std::string where = "CocoEvaluator: image " + std::to_string(images_.size()) + ": ";
    for (const Box& b : gt)
        if (b.cls < 0 || b.cls >= numClasses_)
            throw Error(where + "ground-truth class " + std::to_string(b.cls) + " outside 0.." +
                        std::to_string(numClasses_ - 1));
    for (const Detection& d : dets)
        if (d.box.cls < 0 || d.box.cls >= numClasses_)
            throw Error(where + "detection class " + std::to_string(d.box.cls) + " outside 0.." +
                        std::to_string(numClasses_ - 1));
    Image im;
    im.gt = gt;
    for (const Box& b : gt) im.crowd.push_back(b.crowd);
    im.dets = dets;
    images_.push_back(std::move(im));
}

CocoResult CocoEvaluator::evaluate() const {
    // Per class: the precision at each IoU threshold (nothing without regular ground truth).
    const auto classPrecision = [this](int c) {
        std::vector<ImageClassEval> evals;
        std::vector<XYWH> gt;
        std::vector<bool> crowd;
        std::vector<const Detection*> dt;
        for (const Image& im : images_) {
            gt.clear();
            crowd.clear();
            dt.clear();
            for (std::size_t i = 0; i < im.gt.size(); ++i)
                if (im.gt[i].cls == c) {
                    gt.emplace_back(im.gt[i]);
                    crowd.push_back(im.crowd[i]);
                }
            for (const Detection& d : im.dets)
                if (d.box.cls == c)
                    dt.push_back(&d);
            // cocoeval skips image/class pairs with neither ground truth nor detections.
            if (gt.empty() && dt.empty())
                continue;
            evals.push_back(evaluateImageClass(gt, crowd, dt, maxDets_));
        }
        return averagePrecision(evals);
    };
    // Classes are independent: evaluated in parallel, summed in class order (the same result).
    std::vector<std::optional<std::array<double, kNumIouThresholds>>> aps(static_cast<std::size_t>(numClasses_));
    parallelFor(aps.size(), 0, [&](std::size_t c, int) { aps[c] = classPrecision(static_cast<int>(c)); });

    CocoResult result;
    result.perClass.resize(numClasses_);
    double sumAll = 0, sum50 = 0, sum75 = 0;
    int counted = 0;
    for (int c = 0; c < numClasses_; ++c) {
        const auto& ap = aps[static_cast<std::size_t>(c)];
        if (!ap)
            continue;
        double mean = 0;
        for (double v : *ap)
            mean += v;
        mean /= kNumIouThresholds;
        result.perClass[c] = mean;
        sumAll += mean;
        sum50 += (*ap)[0]; // IoU 0.50
        sum75 += (*ap)[5]; // IoU 0.75
        ++counted;
    }
    if (counted > 0) {
        result.mAP = sumAll / counted;
        result.AP50 = sum50 / counted;
        result.AP75 = sum75 / counted;
        double squares = 0;
        for (const auto& ap : result.perClass)
            if (ap) squares += (*ap - result.mAP) * (*ap - result.mAP);
        result.stdAP = std::sqrt(squares / counted);
    }
    return result;
}

} // namespace mtl
