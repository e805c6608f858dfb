// Whether anchors can match boxes (core/eval/AnchorCoverage, behind `mtlw dataset anchors`): best
// IoUs, the thresholds' three bands, positives per box, per class and level, and the suggestion,
// on hand-made boxes whose IoUs are computed by hand.
#include "core/eval/AnchorCoverage.h"

#include <QtTest>

using namespace mtl;

namespace {

// One level, stride 8, one 8×8 anchor per cell, centred on (8k, 8m): anchors (8k ± 4, 8m ± 4).
AnchorLayout squares() {
    AnchorLayout layout;
    layout.minLevel = 3;
    layout.strides = {8};
    layout.sizes = {8};
    layout.ratios = {1.0};
    layout.scalesPerOctave = 1;
    return layout;
}

} // namespace

class TestAnchors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bestIouAndPositivesOfHandMadeBoxes() {
        const AnchorLayout layout = squares();
        // On a cell: the anchor is the box itself.
        QCOMPARE(bestAnchorIou(Box{4, 4, 12, 12}, layout), 1.0);
        QCOMPARE(anchorsAtLeast(Box{4, 4, 12, 12}, layout, 0.5), std::size_t(1));
        // Between four cells: each anchor overlaps 4×4 of 8×8 → 16 / (64 + 64 − 16) = 1/7.
        QCOMPARE(bestAnchorIou(Box{0, 0, 8, 8}, layout), 1.0 / 7);
        QCOMPARE(anchorsAtLeast(Box{0, 0, 8, 8}, layout, 0.5), std::size_t(0));
        // 2 px off a cell: 6×8 / (128 − 48) = 0.6.
        QCOMPARE(bestAnchorIou(Box{6, 4, 14, 12}, layout), 0.6);
        // 8×16, over two cells: 64 / 128 = 0.5 with each of them.
        QCOMPARE(bestAnchorIou(Box{4, 4, 12, 20}, layout), 0.5);
        QCOMPARE(anchorsAtLeast(Box{4, 4, 12, 20}, layout, 0.5), std::size_t(2));
        // 8×18: 64 / 144 = 0.444, in RetinaNet's ignore band.
        QCOMPARE(bestAnchorIou(Box{4, 4, 12, 22}, layout), 64.0 / 144);
    }

    void coverageCountsBandsPerClassAndLevel() {
        const std::vector<Box> boxes{Box{4, 4, 12, 12, 0},  Box{0, 0, 8, 8, 1},   Box{6, 4, 14, 12, 0},
                                     Box{4, 4, 12, 20, 1},  Box{4, 4, 12, 22, 0},
                                     Box{4, 4, 12, 12, 1, /*crowd=*/true}}; // never a target: left out
        const AnchorCoverage c = anchorCoverage(boxes, squares(), 2);
        QCOMPARE(c.all.boxes, std::size_t(5));
        QCOMPARE(c.all.positive, std::size_t(3)); // 1, 0.6, 0.5
        QCOMPARE(c.all.ignored, std::size_t(1));  // 0.444
        QCOMPARE(c.all.low, std::size_t(1));      // 1/7
        QCOMPARE(c.all.positiveAnchors, std::size_t(4));
        QCOMPARE(c.all.share(c.all.positive), 0.6);
        QCOMPARE(c.all.positivesPerBox(), 0.8);
        QCOMPARE(c.perClass.size(), std::size_t(2));
        QCOMPARE(c.perClass[0].boxes, std::size_t(3));
        QCOMPARE(c.perClass[0].positive, std::size_t(2));
        QCOMPARE(c.perClass[0].ignored, std::size_t(1));
        QCOMPARE(c.perClass[1].boxes, std::size_t(2));
        QCOMPARE(c.perClass[1].low, std::size_t(1));
        QCOMPARE(c.perClass[1].positiveAnchors, std::size_t(2));
        QCOMPARE(c.perLevel.size(), std::size_t(1));
        QCOMPARE(c.perLevel[0].boxes, std::size_t(5));
    }

    void bestLevelIsTheOneOfTheBestAnchor() {
        // Two levels: 8 px anchors at stride 8, 16 px at stride 16. A 16×16 box on a stride-16
        // cell is matched exactly on the second level.
        AnchorLayout layout = squares();
        layout.strides = {8, 16};
        layout.sizes = {8, 16};
        int level = -1;
        QCOMPARE(bestAnchorIou(Box{8, 8, 24, 24}, layout, &level), 1.0);
        QCOMPARE(level, 1);
        const AnchorCoverage c = anchorCoverage({Box{8, 8, 24, 24}, Box{4, 4, 12, 12}}, layout, 1);
        QCOMPARE(c.perLevel[0].boxes, std::size_t(1));
        QCOMPARE(c.perLevel[1].boxes, std::size_t(1));
    }

    void densityCoversBoxesBetweenCells() {
        // squares() tiled 2 × 2: the 8 px anchors centred on (8k ± 2, 8m ± 2), 4 px apart.
        AnchorLayout dense = squares();
        dense.density = 2;
        // A 6×6 box centred on (2, 2), between cells: 25 / (64 + 36 − 25) = 1/3 from the cell at
        // (0, 0); the tile centred on (2, 2) holds the whole box: 36 / 64.
        const Box between{-1, -1, 5, 5};
        QCOMPARE(bestAnchorIou(between, squares()), 1.0 / 3);
        QCOMPARE(bestAnchorIou(between, dense), 36.0 / 64);
        QCOMPARE(anchorsAtLeast(between, dense, 0.5), std::size_t(1));
        // A box on a cell centre now falls between four tiles, each 2 px off in x and y:
        // 36 / (128 − 36) — the one shape tiled replaces the centred one.
        QCOMPARE(bestAnchorIou(Box{4, 4, 12, 12}, dense), 36.0 / 92);
        QCOMPARE(anchorsAtLeast(Box{4, 4, 12, 12}, dense, 0.5), std::size_t(0));
        // An 8×16 box centred on (10, 8): the tiles at (10, 6) and (10, 10) each cover 8×8 of it,
        // 64 / 128 = 0.5; those at (10, 2) and (10, 14) reach 48 / 144, those at x = 6 or 14 less.
        QCOMPARE(anchorsAtLeast(Box{6, 0, 14, 16}, dense, 0.5), std::size_t(2));
        const AnchorCoverage c = anchorCoverage({between, Box{4, 4, 12, 12}}, dense, 1);
        QCOMPARE(c.all.positive, std::size_t(1));
        QCOMPARE(c.all.low, std::size_t(1));
    }

    void suggestsTheLargestAnchorThatCovers() {
        // 4×4 boxes on P3 cell centres, square anchors of one scale: IoU = 16 / s². Going down from
        // 32 px in quarter octaves (32, 27, 23, 19, 16, 13, 11, 10, 8, 7, 6, …): 8 px gives 0.25,
        // 7 px rounds to 8×8 (corners ±3.5 → ±4), 6 px gives 16/36 = 0.444, no longer left to the
        // best-anchor rescue alone.
        std::vector<Box> boxes;
        for (int k = 1; k <= 20; ++k) boxes.push_back(Box{8.f * k - 2, 6, 8.f * k + 2, 10});
        ModelSpec spec;
        spec.anchorRatios = {1.0};
        spec.anchorScales = 1;
        const AnchorSuggestion s = suggestAnchors(boxes, spec);
        QVERIFY(s.found);
        QCOMPARE(s.spec.anchorSize, 6);
        QCOMPARE(s.spec.minLevel, 3);
        QCOMPARE(s.spec.anchorRatios, spec.anchorRatios);
        QCOMPARE(s.coveredShare, 1.0);
        // Nothing reaches 0.4 for boxes of 1×1 px: the best tried is returned, not found.
        const AnchorSuggestion none = suggestAnchors({Box{10.5f, 10.5f, 11.5f, 11.5f}}, spec);
        QVERIFY(!none.found);
        QCOMPARE(none.coveredShare, 0.0);
    }

    void suggestsDensityWhenNoGridIsFineEnough() {
        // 4×4 boxes centred 2 px from the nearest stride-4 and stride-8 cell centre in x and y: a
        // centred square anchor of any size reaches at most 16 / 64 = 0.25 (8 px) on P2 or P3.
        // Tiled 2 × 2 on P2 a centre lies 1 px away, and 7 px about it rounds to corners -2 and 4
        // (half to even): the box inside a 6 px square, 16 / 36 = 0.444.
        std::vector<Box> boxes;
        for (int k = 0; k < 10; ++k) boxes.push_back(Box{8.f * k, 0, 8.f * k + 4, 4});
        ModelSpec spec;
        spec.anchorRatios = {1.0};
        spec.anchorScales = 1;
        const AnchorSuggestion s = suggestAnchors(boxes, spec);
        QVERIFY(s.found);
        QCOMPARE(s.spec.minLevel, 2);
        QCOMPARE(s.spec.anchorDensity, 2);
        QCOMPARE(s.spec.anchorSize, 7);
        QCOMPARE(s.spec.anchorRatios, (std::vector<double>{1.0, 3.0}));
        QCOMPARE(s.coveredShare, 1.0);
        QCOMPARE(bestAnchorIou(boxes[3], anchorLayoutFor(s.spec)), 16.0 / 36);
    }
};

QTEST_GUILESS_MAIN(TestAnchors)
#include "tst_anchors.moc"
