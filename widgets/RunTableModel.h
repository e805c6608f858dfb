#pragma once
// The registry's runs as a Qt table model (model/view): one row per run, columns below. Rows come
// as core RunSummary values (the caller reads the registry), so the model never touches SQLite.
// setRuns keeps rows that did not change, so selections and sorting survive the periodic refresh.
#include "core/experiment/RunSummary.h"

#include <QAbstractTableModel>

#include <vector>

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Name, Status, Method, Sampling, Setting, Labels, Dataset, Device, Created, Tags, ColumnCount };
    // Sort key of a cell (numbers for numeric columns), and the run id of a row.
    enum Role { SortRole = Qt::UserRole + 1, RunIdRole };

    explicit RunTableModel(QObject* parent = nullptr);
    void setRuns(std::vector<mtl::RunSummary> runs);
    const mtl::RunSummary* runAt(int row) const;
    int rowOf(qint64 runId) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<mtl::RunSummary> runs_;
};
