#pragma once
// Live training curves of one run (QCustomPlot): one graph per metric key. Points arrive one by one
// from the training thread; repaints are coalesced (at most every 50 ms) so the UI never stalls.
#include <QMap>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCheckBox;
class QTimer;

class LossPlotWidget : public QWidget {
    Q_OBJECT
public:
    explicit LossPlotWidget(QWidget* parent = nullptr);
    void clear(const QString& title = {});
    void setSeries(const QString& key, const QVector<double>& steps, const QVector<double>& values);
    void appendPoint(const QString& key, double step, double value);
    int pointCount(const QString& key) const;
    QCustomPlot* plot() const { return plot_; }

private:
    QCPGraph* graph(const QString& key);
    void scheduleReplot();

    QCustomPlot* plot_;
    QCheckBox* logScale_;
    QTimer* replotTimer_;
    QMap<QString, QCPGraph*> graphs_;
};
