#pragma once
// SVG export of a QCustomPlot: the plot paints itself into QtSvg's QSvgGenerator, so the file holds
// exactly what the screen and the PNG show (legend, markers, bands, every axis) as vectors.
#include <QString>

class QCustomPlot;

bool writePlotSvg(QCustomPlot* plot, const QString& path);
