#pragma once
// The registry's runs as a table: id, name, status, created. Selecting a row announces the run.
#include <QTableWidget>

#include <vector>

namespace mtl {
struct RunRecord;
}

class RunListWidget : public QTableWidget {
    Q_OBJECT
public:
    explicit RunListWidget(QWidget* parent = nullptr);
    // Replaces the rows, keeping the selected run selected.
    void setRuns(const std::vector<mtl::RunRecord>& runs);
    qint64 selectedRunId() const; // 0 when none
    void selectRun(qint64 runId);

Q_SIGNALS:
    void runSelected(qint64 runId);
};
