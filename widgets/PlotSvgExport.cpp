#include "widgets/PlotSvgExport.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QSvgGenerator>

bool writePlotSvg(QCustomPlot* plot, const QString& path) {
    const int width = plot->width(), height = plot->height();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    svg.setResolution(96); // CSS pixels: a browser shows the file at the plot's size on screen
    svg.setTitle(QFileInfo(path).completeBaseName());
    svg.setDescription(QStringLiteral("MTL Workbench metric plot"));
    QCPPainter painter;
    if (!painter.begin(&svg)) return false; // the generator opens the file here
    plot->toPainter(&painter, width, height);
    return painter.end();
}
