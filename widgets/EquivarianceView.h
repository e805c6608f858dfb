#pragma once
// The Equivariance tab: for the selected runs, how far each model commutes with the strong view's
// affine families, f(T·x) = T·f(x), as `mtlw diagnose equivariance` measured and kept it in the run
// folder (equivariance.json): a table (segmentation agreement and box recall per transform and run)
// and a plot of the segmentation agreement per transform, one line per run. Files are read off the
// GUI thread; a run without the file says which command makes it. Measure runs that command's
// diagnosis (RunPredictor::diagnoseEquivariance) on the shown runs in the background.
#include "widgets/LatestResult.h"

#include <QList>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;
struct EquivarianceRuns;

struct EquivarianceRun {
    qint64 id = 0;
    QString name, runDir;
};

class EquivarianceView : public QWidget {
    Q_OBJECT
public:
    explicit EquivarianceView(QWidget* parent = nullptr);
    void setRuns(const QList<EquivarianceRun>& runs);
    QTableWidget* table() const { return table_; }
    QCustomPlot* plot() const { return plot_; }
    QString message() const;
    // Measures every shown run (its best weights, 20 validation images) off the GUI thread, keeps
    // the results in the run folders and shows them; `measured` follows.
    void measure();
    bool measuring() const { return measuring_; }
    QPushButton* measureButton() const { return measure_; }

Q_SIGNALS:
    void loaded();
    void measured();

private:
    void display(const EquivarianceRuns& data);

    LatestResult job_{this};
    LatestResult measureJob_{this};
    QList<EquivarianceRun> runs_;
    bool measuring_ = false;
    QLabel* message_;
    QLabel* status_;
    QPushButton* measure_;
    QTableWidget* table_;
    QCustomPlot* plot_;
};
