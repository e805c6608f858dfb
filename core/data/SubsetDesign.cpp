#include "core/data/SubsetDesign.h"

#include "core/data/LabelSplit.h"

namespace mtl {

std::string settingOf(const SubsetDesign& d) {
    if (d.kDet == d.poolSize) return "a";
    if (d.kDet == d.kSeg) return d.nested ? "b" : "c";
    if (d.kSeg < d.kDet) return d.nested ? "d" : "e";
    return "e";
}

SubsetCounts expectedCounts(const SubsetDesign& d) {
    SubsetCounts c;
    c.det = d.kDet;
    c.seg = d.kSeg;
    const std::string setting = settingOf(d);
    if (setting == "a" || setting == "b" || setting == "d")
        c.expectedOverlap = double(d.kSeg);
    else if (d.poolSize > 0)
        c.expectedOverlap = double(d.kDet) * double(d.kSeg) / double(d.poolSize);
    return c;
}

std::string SubsetPreset::label() const {
    if (setting == "a") return "(a) det all · seg " + seg;
    if (setting == "b" || setting == "c") return "(" + setting + ") both " + det;
    return "(" + setting + ") det " + det + " · seg " + seg;
}

const std::vector<SubsetPreset>& paperPresets() {
    static const std::vector<SubsetPreset> presets = [] {
        const char* fractions[] = {"1/32", "1/16", "1/8", "1/4", "1/2"};
        // (det, seg) pairs of settings (d) and (e): (372, 93), (744, 93), (1488, 93), (744, 186),
        // (1488, 186), (1488, 372) of N = 2,975.
        const std::pair<const char*, const char*> pairs[] = {{"1/8", "1/32"}, {"1/4", "1/32"}, {"1/2", "1/32"},
                                                             {"1/4", "1/16"}, {"1/2", "1/16"}, {"1/2", "1/8"}};
        std::vector<SubsetPreset> out;
        for (const char* f : fractions) out.push_back({"a", "all", f});
        for (const char* s : {"b", "c"})
            for (const char* f : fractions) out.push_back({s, f, f});
        for (const char* s : {"d", "e"})
            for (const auto& [det, seg] : pairs) out.push_back({s, det, seg});
        return out;
    }();
    return presets;
}

SubsetDesign designFromPreset(const SubsetPreset& p, std::size_t poolSize) {
    SubsetDesign d;
    d.poolSize = poolSize;
    d.kDet = parseLabelCount(p.det, poolSize, "detection labels of preset " + p.label());
    d.kSeg = parseLabelCount(p.seg, poolSize, "segmentation labels of preset " + p.label());
    d.nested = p.setting == "a" || p.setting == "b" || p.setting == "d";
    return d;
}

} // namespace mtl
