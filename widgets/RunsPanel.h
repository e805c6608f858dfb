#pragma once
// The runs table with its filters (status, method, setting, tag, name) and actions (run again,
// stop, delete). Several rows may be selected: the selection is what the plots overlay. "One row
// per seed group" collapses the seeds of an experiment into one row; selecting it selects them all.
#include "core/experiment/RunSummary.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;
class RunFilterProxy;
class RunTableModel;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);
    // Replaces the rows; the filter choices follow the values present; the selection is kept.
    void setRuns(std::vector<mtl::RunSummary> runs);
    QList<qint64> selectedRunIds() const; // in table order; a collapsed row gives all its seeds
    qint64 selectedRunId() const;         // the first selected; 0 when none
    void selectRuns(const QList<qint64>& ids);
    void selectRun(qint64 id) { selectRuns({id}); }

    RunTableModel* model() const { return model_; }
    RunFilterProxy* proxy() const { return proxy_; }
    QTableView* view() const { return view_; }
    QComboBox* statusFilter() const { return status_; }
    QCheckBox* collapseSeeds() const { return collapse_; }

Q_SIGNALS:
    void selectionChanged(const QList<qint64>& runIds);
    void runAgainRequested(const QList<qint64>& runIds);
    void resumeRequested(const QList<qint64>& runIds); // interrupted, failed or queued runs
    void stopRequested(const QList<qint64>& runIds);
    void deleteRequested(const QList<qint64>& runIds);

private:
    void fillChoices(QComboBox* box, QStringList values);
    void updateButtons();

    RunTableModel* model_;

    int sizedRows_ = -1; // the row count the columns were last sized for
    RunFilterProxy* proxy_;
    QTableView* view_;
    QComboBox* status_;
    QComboBox* method_;
    QComboBox* setting_;
    QComboBox* tag_;
    QLineEdit* name_;
    QCheckBox* collapse_;
    QPushButton* again_;
    QPushButton* resume_;
    QPushButton* stop_;
    QPushButton* delete_;
};
