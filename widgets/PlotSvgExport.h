#pragma once
// SVG export of a QCustomPlot without QtSvg (not available on every distribution's Qt 6): the axis
// rectangle, grid, ticks and labels from the plot's own tick vectors, each graph's drawn points as a
// polyline in the plot's pixel coordinates, and the legend entries.
#include <QString>

class QCustomPlot;

bool writePlotSvg(QCustomPlot* plot, const QString& path);
