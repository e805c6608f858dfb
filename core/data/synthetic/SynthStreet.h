#pragma once
// The scene's geometry and its stuff: the camera (horizon from pitch, object scale from height),
// the street in perspective for each layout, and the ground, buildings, hills and sky drawn on it.
#include "core/data/SyntheticCityscapes.h"
#include "core/data/synthetic/SynthCanvas.h"

namespace mtl::synth {

// The street in perspective: edges run from an x at the horizon to an x at the bottom row, shifted
// sideways by a bend that grows with depth on a curve.
struct Street {
    SceneLayout layout = SceneLayout::Straight;
    Weather weather = Weather::Clear;
    int w = 0, h = 0, horizon = 0;
    int roadTopL = 0, roadTopR = 0, roadBotL = 0, roadBotR = 0;
    int walkTopL = 0, walkTopR = 0, walkBotL = 0, walkBotR = 0; // outer sidewalk edges
    int bend = 0;          // x offset of the road at the horizon (curve), 0 at the bottom row
    int sizePercent = 100; // camera height: objects' size against the reference camera
    int crossTop = -1, crossBottom = -1; // rows of the crossing street (junction)
    cv::Point island{-1, -1};            // centre of the roundabout's island
    int islandRx = 0, islandRy = 0;
    Material terrainLeft = Material::Grass, terrainRight = Material::Grass;

    int offset(int y) const;
    int at(int xTop, int xBottom, int y) const { return xTop + (xBottom - xTop) * (y - horizon) / (h - horizon) + offset(y); }
    int roadL(int y) const { return at(roadTopL, roadBotL, y); }
    int roadR(int y) const { return at(roadTopR, roadBotR, y); }
    int walkL(int y) const { return at(walkTopL, walkBotL, y); }
    int walkR(int y) const { return at(walkTopR, walkBotR, y); }
    bool crossing(int y) const { return y >= crossTop && y <= crossBottom; }
    // Size in pixels of one "image height" of object standing at y: things shrink towards the horizon.
    int unit(int y) const { return std::max(1, (y - horizon) * h / (h - horizon) * sizePercent / 100); }
    // A y between lo% and hi% of the way from the horizon to the bottom row.
    int yAt(Rng& rng, int lo, int hi) const { return horizon + (h - horizon) * rng.range(lo, hi) / 100; }
};

Street planStreet(Rng& rng, int width, int height, SceneLayout layout, Weather weather);

void drawSky(Canvas& canvas, Rng& rng, const Street& st);
// Buildings (brick, concrete or glass facades) or, on an open road, hills and forest.
void drawSkyline(Canvas& canvas, Rng& rng, const Street& st);
// Terrain, sidewalks with curbs, the road with its markings, crossings and the roundabout's island.
void drawGround(Canvas& canvas, Rng& rng, const Street& st);
// Hedges, walls and fences along the sidewalks.
void drawBorders(Canvas& canvas, Rng& rng, const Street& st);

} // namespace mtl::synth
