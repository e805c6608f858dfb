#include "widgets/PlotSvgExport.h"

#include <qcustomplot.h>

#include <QFile>
#include <QTextStream>

#include <cmath>

namespace {
QString colourOf(const QColor& c) { return c.name(QColor::HexRgb); }
QString escaped(QString text) { return text.toHtmlEscaped(); }
QString dashOf(Qt::PenStyle s) {
    switch (s) {
    case Qt::DashLine: return QStringLiteral(" stroke-dasharray=\"6 3\"");
    case Qt::DotLine: return QStringLiteral(" stroke-dasharray=\"1.5 3\"");
    case Qt::DashDotLine: return QStringLiteral(" stroke-dasharray=\"6 3 1.5 3\"");
    case Qt::DashDotDotLine: return QStringLiteral(" stroke-dasharray=\"6 3 1.5 3 1.5 3\"");
    default: return {};
    }
}
} // namespace

bool writePlotSvg(QCustomPlot* plot, const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&file);
    const QRect rect = plot->axisRect()->rect();
    const QColor text = plot->xAxis->tickLabelColor();
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << plot->width() << "\" height=\"" << plot->height()
        << "\" viewBox=\"0 0 " << plot->width() << ' ' << plot->height() << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    out << "<rect width=\"100%\" height=\"100%\" fill=\"" << colourOf(plot->palette().color(QPalette::Base)) << "\"/>\n";
    // Grid and tick labels from QCustomPlot's own ticks, so the SVG matches the PNG.
    const QVector<double> xTicks = plot->xAxis->tickVector(), yTicks = plot->yAxis->tickVector();
    const QVector<QString> xLabels = plot->xAxis->tickVectorLabels(), yLabels = plot->yAxis->tickVectorLabels();
    for (int i = 0; i < xTicks.size(); ++i) {
        const double x = plot->xAxis->coordToPixel(xTicks[i]);
        if (x < rect.left() || x > rect.right()) continue;
        out << "<line x1=\"" << x << "\" y1=\"" << rect.top() << "\" x2=\"" << x << "\" y2=\"" << rect.bottom()
            << "\" stroke=\"#c8c8c8\" stroke-dasharray=\"1 2\"/>\n";
        out << "<text x=\"" << x << "\" y=\"" << rect.bottom() + 14 << "\" text-anchor=\"middle\" fill=\""
            << colourOf(text) << "\">" << escaped(xLabels.value(i)) << "</text>\n";
    }
    for (int i = 0; i < yTicks.size(); ++i) {
        const double y = plot->yAxis->coordToPixel(yTicks[i]);
        if (y < rect.top() || y > rect.bottom()) continue;
        out << "<line x1=\"" << rect.left() << "\" y1=\"" << y << "\" x2=\"" << rect.right() << "\" y2=\"" << y
            << "\" stroke=\"#c8c8c8\" stroke-dasharray=\"1 2\"/>\n";
        out << "<text x=\"" << rect.left() - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\" fill=\""
            << colourOf(text) << "\">" << escaped(yLabels.value(i)) << "</text>\n";
    }
    out << "<rect x=\"" << rect.left() << "\" y=\"" << rect.top() << "\" width=\"" << rect.width() << "\" height=\""
        << rect.height() << "\" fill=\"none\" stroke=\"" << colourOf(text) << "\"/>\n";
    out << "<text x=\"" << rect.center().x() << "\" y=\"" << rect.bottom() + 30 << "\" text-anchor=\"middle\" fill=\""
        << colourOf(text) << "\">" << escaped(plot->xAxis->label()) << "</text>\n";
    out << "<clipPath id=\"axis\"><rect x=\"" << rect.left() << "\" y=\"" << rect.top() << "\" width=\"" << rect.width()
        << "\" height=\"" << rect.height() << "\"/></clipPath>\n";
    int legendRow = 0;
    for (int g = 0; g < plot->graphCount(); ++g) {
        QCPGraph* graph = plot->graph(g);
        const QPen pen = graph->pen();
        out << "<polyline clip-path=\"url(#axis)\" fill=\"none\" stroke=\"" << colourOf(pen.color()) << "\" stroke-width=\""
            << pen.widthF() << "\"" << dashOf(pen.style()) << " points=\"";
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            const double x = plot->xAxis->coordToPixel(it->key), y = plot->yAxis->coordToPixel(it->value);
            if (std::isfinite(x) && std::isfinite(y)) out << QString::number(x, 'f', 1) << ',' << QString::number(y, 'f', 1) << ' ';
        }
        out << "\"/>\n";
        const int ly = rect.top() + 14 + 16 * legendRow++;
        out << "<line x1=\"" << rect.right() - 190 << "\" y1=\"" << ly - 4 << "\" x2=\"" << rect.right() - 170 << "\" y2=\""
            << ly - 4 << "\" stroke=\"" << colourOf(pen.color()) << "\" stroke-width=\"2\"" << dashOf(pen.style()) << "/>\n";
        out << "<text x=\"" << rect.right() - 165 << "\" y=\"" << ly << "\" fill=\"" << colourOf(text) << "\">"
            << escaped(graph->name()) << "</text>\n";
    }
    out << "</svg>\n";
    return out.status() == QTextStream::Ok;
}
