#pragma once
// The Equivariance tab: for the selected runs, how far each model commutes with the strong view's
// affine families, f(T·x) = T·f(x), as `mtlw diagnose equivariance` measured and kept it in the run
// folder (equivariance.json): a table (segmentation agreement and box recall per transform and run)
// and a plot of the segmentation agreement per transform, one line per run. Files are read off the
// GUI thread; a run without the file says which command makes it.
#include "widgets/LatestResult.h"

#include <QList>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QLabel;
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

Q_SIGNALS:
    void loaded();

private:
    void display(const EquivarianceRuns& data);

    LatestResult job_{this};
    QLabel* message_;
    QTableWidget* table_;
    QCustomPlot* plot_;
};
