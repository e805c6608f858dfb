#pragma once
// The registry's runs as a Qt table model (model/view): one row per run, columns below. Rows come
// as core RunSummary values (the caller reads the registry), so the model never touches SQLite.
// setRuns keeps rows that did not change, so selections and sorting survive the periodic refresh.
// With seeds collapsed, the first run of each seed group (core SeedGroups) stands for the group:
// its row names the group and its seed count, and the proxy hides the group's other runs.
#include "core/experiment/RunSummary.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

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

    void setSeedsCollapsed(bool on);
    bool seedsCollapsed() const { return collapsed_; }
    // The ids of a run's seed group, in row order (the run alone when it has no other seed), and
    // whether the run is not its group's first (a row the collapsed table hides).
    QList<qint64> seedGroupOf(qint64 runId) const;
    bool isLaterSeed(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void groupSeeds();
    std::vector<mtl::RunSummary> runs_;
    bool collapsed_ = false;
    QHash<qint64, QList<qint64>> groupOf_; // run id -> its seed group's ids
};
