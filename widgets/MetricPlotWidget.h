#pragma once
// Live metric curves (QCustomPlot) of one or more runs: every metric key a run has, grouped by its
// prefix ("train/", "val/", ...) in a checkable list; the selected runs overlaid; smoothing (debiased
// EMA at full resolution) of the per-step series, validation series drawn as measured with markers;
// the legend under the axes; log scale; x as step or wall time. Long series are decimated to the
// plot's pixel columns (min/max per column) on every redraw, so 300k points per curve stay fast.
// Points arrive through queued signals; redraws are coalesced (at most one per 50 ms).
#include <QHash>
#include <QMap>
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

class MetricPlotWidget : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Step, WallTime };
    explicit MetricPlotWidget(QWidget* parent = nullptr);

    // The runs shown (their data is dropped when they leave), with their legend names.
    void setRuns(const QList<qint64>& runIds, const QMap<qint64, QString>& names);
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

    // Recomputes the drawn points now and redraws synchronously (what the timer does).
    void redrawNow();
    // Drawn points of the graph of (run, key) after smoothing and decimation (for tests).
    int drawnPointCount(qint64 runId, const QString& key) const;
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

    QList<qint64> runs_;
    QMap<qint64, QString> names_;
    QMap<qint64, QMap<QString, Series>> data_;
    QMap<QString, bool> checked_; // remembered across runs
    QMap<QPair<qint64, QString>, QCPGraph*> graphs_;
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
    QTimer* redrawTimer_;
};
