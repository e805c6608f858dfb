#include "widgets/RunsPanel.h"

#include "widgets/RunFilterProxy.h"
#include "widgets/RunTableModel.h"

#include "core/experiment/Registry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent), model_(new RunTableModel(this)), proxy_(new RunFilterProxy(this)), view_(new QTableView(this)),
      status_(new QComboBox(this)), method_(new QComboBox(this)), setting_(new QComboBox(this)),
      tag_(new QComboBox(this)), name_(new QLineEdit(this)), collapse_(new QCheckBox(tr("One row per seed group"), this)),
      again_(new QPushButton(tr("Run again"), this)),
      resume_(new QPushButton(tr("Resume"), this)),
      stop_(new QPushButton(tr("Stop"), this)), delete_(new QPushButton(tr("Delete…"), this)) {
    proxy_->setSourceModel(model_);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(RunTableModel::Id, Qt::DescendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->verticalHeader()->hide();
    // Columns sized to their contents as runs come (names and label counts whole, within limits);
    // the name column takes what is left over, not the tags.
    view_->horizontalHeader()->setStretchLastSection(false);
    view_->horizontalHeader()->setSectionResizeMode(RunTableModel::Name, QHeaderView::Stretch);
    view_->setAlternatingRowColors(true);
    view_->setWordWrap(false);

    name_->setPlaceholderText(tr("name contains…"));
    name_->setClearButtonEnabled(true);
    auto* filters = new QHBoxLayout;
    for (auto [label, box] : {std::pair{tr("Status"), status_}, {tr("Method"), method_}, {tr("Setting"), setting_},
                              {tr("Tag"), tag_}}) {
        filters->addWidget(new QLabel(label, this));
        filters->addWidget(box);
        box->addItem(tr("any"), QString());
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    }
    filters->addWidget(name_, 1);
    collapse_->setToolTip(tr("Runs that differ only in their seed as one row; selecting it selects every seed"));
    filters->addWidget(collapse_);
    auto* actions = new QHBoxLayout;
    actions->addWidget(again_);
    actions->addWidget(resume_);
    actions->addWidget(stop_);
    actions->addWidget(delete_);
    actions->addStretch(1);
    actions->addWidget(new QLabel(tr("Select several runs (Ctrl/Shift) to overlay them."), this));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(view_, 1);
    layout->addLayout(actions);

    connect(status_, &QComboBox::currentIndexChanged, this, [this] { proxy_->setStatus(status_->currentData().toString()); });
    connect(method_, &QComboBox::currentIndexChanged, this, [this] { proxy_->setMethod(method_->currentData().toString()); });
    connect(setting_, &QComboBox::currentIndexChanged, this, [this] { proxy_->setSetting(setting_->currentData().toString()); });
    connect(tag_, &QComboBox::currentIndexChanged, this, [this] { proxy_->setTag(tag_->currentData().toString()); });
    connect(name_, &QLineEdit::textChanged, proxy_, &RunFilterProxy::setNameContains);
    connect(collapse_, &QCheckBox::toggled, this, [this](bool on) {
        const QList<qint64> selected = selectedRunIds();
        model_->setSeedsCollapsed(on);
        selectRuns(selected);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged(selectedRunIds());
    });
    connect(again_, &QPushButton::clicked, this, [this] { Q_EMIT runAgainRequested(selectedRunIds()); });
    connect(resume_, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(selectedRunIds()); });
    connect(stop_, &QPushButton::clicked, this, [this] { Q_EMIT stopRequested(selectedRunIds()); });
    connect(delete_, &QPushButton::clicked, this, [this] { Q_EMIT deleteRequested(selectedRunIds()); });
    updateButtons();
}

void RunsPanel::fillChoices(QComboBox* box, QStringList values) {
    values.removeDuplicates();
    values.sort();
    QStringList present;
    for (int i = 1; i < box->count(); ++i) present << box->itemData(i).toString();
    if (present == values) return;
    const QString current = box->currentData().toString();
    const QSignalBlocker block(box);
    while (box->count() > 1) box->removeItem(1);
    for (const QString& v : values) box->addItem(v, v);
    box->setCurrentIndex(std::max(0, box->findData(current)));
}

void RunsPanel::setRuns(std::vector<mtl::RunSummary> runs) {
    QStringList statuses, methods, settings, tags;
    for (const auto& s : runs) {
        statuses << QString::fromStdString(mtl::toString(s.record.status));
        methods << QString::fromStdString(s.method);
        settings << QString::fromStdString(s.setting);
        for (const auto& t : s.tags) tags << QString::fromStdString(t);
    }
    const QList<qint64> selected = selectedRunIds();
    model_->setRuns(std::move(runs));
    fillChoices(status_, statuses);
    fillChoices(method_, methods);
    fillChoices(setting_, settings);
    fillChoices(tag_, tags);
    if (selectedRunIds() != selected) selectRuns(selected); // a reset drops the selection
    if (model_->rowCount() != sizedRows_) {
        sizedRows_ = model_->rowCount();
        for (int c = 0; c < RunTableModel::ColumnCount; ++c) {
            if (c == RunTableModel::Name) continue;
            view_->resizeColumnToContents(c);
            view_->setColumnWidth(c, std::min(view_->columnWidth(c), 260));
        }
    }
    updateButtons();
}

QList<qint64> RunsPanel::selectedRunIds() const {
    QList<qint64> rows; // the selected rows' runs, in table order
    for (const QModelIndex& i : view_->selectionModel()->selectedRows()) rows << i.data(RunTableModel::RunIdRole).toLongLong();
    const auto tableRow = [this](qint64 id) { return proxy_->mapFromSource(model_->index(model_->rowOf(id), 0)).row(); };
    std::sort(rows.begin(), rows.end(), [&](qint64 a, qint64 b) { return tableRow(a) < tableRow(b); });
    if (!model_->seedsCollapsed()) return rows;
    QList<qint64> ids;
    for (const qint64 id : rows) ids << model_->seedGroupOf(id);
    return ids;
}

qint64 RunsPanel::selectedRunId() const {
    const auto ids = selectedRunIds();
    return ids.isEmpty() ? 0 : ids.front();
}

void RunsPanel::selectRuns(const QList<qint64>& ids) {
    QItemSelection selection;
    for (const qint64 id : ids) {
        // A hidden later seed is selected through its group's row.
        const int row = model_->rowOf(model_->seedsCollapsed() ? model_->seedGroupOf(id).front() : id);
        if (row < 0) continue;
        const QModelIndex at = proxy_->mapFromSource(model_->index(row, 0));
        if (at.isValid()) selection.select(at, at.siblingAtColumn(RunTableModel::ColumnCount - 1));
    }
    view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!selection.isEmpty()) view_->scrollTo(selection.indexes().front());
}

void RunsPanel::updateButtons() {
    std::set<mtl::RunStatus> statuses;
    for (const qint64 id : selectedRunIds())
        if (const auto* s = model_->runAt(model_->rowOf(id))) statuses.insert(s->record.status);
    const bool any = !statuses.empty();
    const bool active = statuses.count(mtl::RunStatus::Running) || statuses.count(mtl::RunStatus::Queued);
    again_->setEnabled(any);
    // Resume continues from the last checkpoint: only runs no process is training now.
    resume_->setEnabled(any && std::all_of(statuses.begin(), statuses.end(), [](mtl::RunStatus s) {
                            return s != mtl::RunStatus::Queued && mtl::isResumable(s);
                        }));
    stop_->setEnabled(active);
    delete_->setEnabled(any && !statuses.count(mtl::RunStatus::Running));
}
