#include "core/model/DetectionPostprocess.h"

#include "core/model/BoxOps.h"

#include <algorithm>

namespace mtl {

std::vector<std::vector<Detection>> postprocessDetections(const torch::Tensor& classLogits,
                                                          const torch::Tensor& boxDeltas,
                                                          const torch::Tensor& anchors,
                                                          const std::vector<int64_t>& anchorsPerLevel,
                                                          int imageWidth, int imageHeight,
                                                          const PostprocessOptions& o) {
    const int64_t n = classLogits.size(0), numClasses = classLogits.size(2);
    std::vector<std::vector<Detection>> result(n);
    for (int64_t i = 0; i < n; ++i) {
        std::vector<torch::Tensor> boxes, scores, classes;
        int64_t first = 0;
        for (int64_t count : anchorsPerLevel) {
            auto levelScores = torch::sigmoid(classLogits[i].narrow(0, first, count).to(torch::kFloat)).reshape({-1});
            auto candidates = levelScores.gt(o.scoreThreshold).nonzero().squeeze(1);
            const int64_t k = std::min<int64_t>(o.topKPerLevel, candidates.size(0));
            auto [top, order] = levelScores.index_select(0, candidates).topk(k);
            auto flat = candidates.index_select(0, order);
            auto anchor = flat.div(numClasses, "floor") + first;
            auto decoded = decodeBoxes(boxDeltas[i].index_select(0, anchor).to(torch::kFloat),
                                       anchors.index_select(0, anchor));
            boxes.push_back(clipBoxes(decoded, imageWidth, imageHeight));
            scores.push_back(top);
            classes.push_back(flat.remainder(numClasses));
            first += count;
        }
        auto allBoxes = torch::cat(boxes).to(torch::kCPU), allScores = torch::cat(scores).to(torch::kCPU);
        auto allClasses = torch::cat(classes).to(torch::kCPU);
        auto kept = classwiseNms(allBoxes, allScores, allClasses, o.nmsIou);
        kept = kept.narrow(0, 0, std::min<int64_t>(o.detectionsPerImage, kept.size(0)));
        auto b = allBoxes.index_select(0, kept).contiguous();
        auto s = allScores.index_select(0, kept).contiguous();
        auto c = allClasses.index_select(0, kept).contiguous();
        auto ba = b.accessor<float, 2>();
        auto sa = s.accessor<float, 1>();
        auto ca = c.accessor<int64_t, 1>();
        for (int64_t j = 0; j < kept.size(0); ++j) {
            Detection d;
            d.box = {ba[j][0], ba[j][1], ba[j][2], ba[j][3], static_cast<int>(ca[j])};
            d.score = sa[j];
            result[i].push_back(d);
        }
    }
    return result;
}

} // namespace mtl
