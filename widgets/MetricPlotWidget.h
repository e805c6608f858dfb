#pragma once
// Live metric curves (QCustomPlot) of one or more runs: every metric key a run has, grouped by its
// prefix ("train/", "val/", ...) in a checkable list; the selected runs overlaid; smoothing (debiased
// EMA at full resolution) of the per-step series, validation series drawn as measured with markers;
// the legend under the axes; log scale; x as step or wall time. Long series are decimated to the
// plot's pixel columns (min/max per column) on every redraw, so 300k points per curve stay fast.
// Points arrive through queued signals; redraws are coalesced (at most one per 50 ms).
// Seeds of one experiment (a seed group) draw as one mean curve with a band, ± std or min–max
// (core seedBand), or as their single runs: the "Seeds" choice.
#include "core/common/SeriesTransforms.h"

#include <QHash>
#include <QMap>
#include <QSet>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QSlider;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

// Runs shown together as the seeds of one experiment, and the legend name of their curve.
struct PlotSeedGroup {
    QList<qint64> runs; // two or more of the shown runs
    QString name;
};

class MetricPlotWidget : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Step, WallTime };
    enum class SeedView { MeanStd, MeanMinMax, Runs }; // a seed group's band, or its single runs
    explicit MetricPlotWidget(QWidget* parent = nullptr);

    // The runs shown (their data is dropped when they leave), with their legend names, and which
    // of them are seeds of one experiment.
    void setRuns(const QList<qint64>& runIds, const QMap<qint64, QString>& names,
                 const QList<PlotSeedGroup>& groups = {});
    const QList<qint64>& runs() const { return runs_; }
    void setSeries(qint64 runId, const QString& key, const QVector<double>& steps, const QVector<double>& wallTimes,
                   const QVector<double>& values);
    void appendPoints(qint64 runId, const QString& key, const QVector<double>& steps,
                      const QVector<double>& wallTimes, const QVector<double>& values);
    qint64 lastStep(qint64 runId, const QString& key) const; // -1 when no point
    int pointCount(qint64 runId, const QString& key) const;

    QStringList keys() const; // every key of the shown runs, sorted
    void setKeyChecked(const QString& key, bool checked);
    QStringList checkedKeys() const;
    void setSmoothing(double weight); // 0 ≤ weight < 1
    void setLogScale(bool on);
    void setXAxis(XAxis axis);
    void setSeedView(SeedView view);

    // Recomputes the drawn points now and redraws synchronously (what the timer does).
    void redrawNow();
    // Drawn points of the graph of (run, key) after smoothing and decimation (for tests).
    int drawnPointCount(qint64 runId, const QString& key) const;
    // The drawn mean, lower and upper curve of seed group `group` (index into setRuns' groups);
    // null when not drawn.
    struct BandGraphs {
        QCPGraph* mean = nullptr;
        QCPGraph* low = nullptr;
        QCPGraph* high = nullptr;
    };
    BandGraphs bandGraphs(int group, const QString& key) const { return bands_.value({group, key}); }
    QCustomPlot* plot() const { return plot_; }
    // PNG, PDF or SVG by the file's suffix; false (and nothing written) on failure.
    bool exportTo(const QString& path);

protected:
    void changeEvent(QEvent* e) override;

private:
    struct Series {
        QVector<double> step, wall, value;
    };
    void scheduleRedraw();
    void applyPalette();
    void updateKeyList();
    void rebuildGraphs();
    void refreshGraphData();
    mtl::XYSeries fullSeries(qint64 run, const QString& key) const; // x on the chosen axis, y smoothed

    QList<qint64> runs_;
    QMap<qint64, QString> names_;
    QMap<qint64, QMap<QString, Series>> data_;
    QMap<QString, bool> checked_; // remembered across runs
    QMap<QPair<qint64, QString>, QCPGraph*> graphs_;
    QList<PlotSeedGroup> groups_;
    QMap<QPair<int, QString>, BandGraphs> bands_;
    SeedView seedView_ = SeedView::MeanStd;
    // Each graph's points at full resolution before decimation, and the series changed since.
    QMap<QCPGraph*, mtl::XYSeries> full_;
    QSet<QPair<qint64, QString>> stale_;
    double smoothing_ = 0;
    XAxis xAxis_ = XAxis::Step;
    bool followData_ = true; // axes rescale to the data until the user zooms or pans
    bool structureDirty_ = true;
    QHash<QString, bool> groupExpanded_; // key groups the user opened or closed

    QCustomPlot* plot_;
    QTreeWidget* keyList_;
    QSlider* smoothingSlider_;
    QLabel* smoothingValue_;
    QCheckBox* logScale_;
    QComboBox* xChoice_;
    QComboBox* seedChoice_;
    QTimer* redrawTimer_;
};
