#include "widgets/RunListWidget.h"

#include "core/experiment/Registry.h"

#include <QDateTime>
#include <QHeaderView>
#include <QSignalBlocker>

RunListWidget::RunListWidget(QWidget* parent) : QTableWidget(0, 4, parent) {
    setHorizontalHeaderLabels({tr("Id"), tr("Name"), tr("Status"), tr("Created")});
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setAlternatingRowColors(true);
    connect(this, &QTableWidget::itemSelectionChanged, this, [this] {
        if (const qint64 id = selectedRunId()) Q_EMIT runSelected(id);
    });
}

void RunListWidget::setRuns(const std::vector<mtl::RunRecord>& runs) {
    const qint64 selected = selectedRunId();
    {
        const QSignalBlocker block(this); // re-selecting the same run is not a new selection
        setRowCount(static_cast<int>(runs.size()));
        for (int row = 0; row < int(runs.size()); ++row) {
            const auto& r = runs[row];
            auto* id = new QTableWidgetItem(QString::number(r.id));
            id->setData(Qt::UserRole, QVariant::fromValue<qint64>(r.id));
            setItem(row, 0, id);
            setItem(row, 1, new QTableWidgetItem(QString::fromStdString(r.name)));
            auto* status = new QTableWidgetItem(QString::fromStdString(mtl::toString(r.status)));
            if (!r.message.empty()) status->setToolTip(QString::fromStdString(r.message));
            setItem(row, 2, status);
            setItem(row, 3, new QTableWidgetItem(
                                QDateTime::fromSecsSinceEpoch(qint64(r.createdAt)).toString("yyyy-MM-dd hh:mm:ss")));
        }
        if (selected) selectRun(selected);
    }
}

qint64 RunListWidget::selectedRunId() const {
    const auto rows = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList{};
    if (rows.isEmpty()) return 0;
    return item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
}

void RunListWidget::selectRun(qint64 runId) {
    for (int row = 0; row < rowCount(); ++row)
        if (item(row, 0)->data(Qt::UserRole).toLongLong() == runId) {
            selectRow(row);
            return;
        }
}
