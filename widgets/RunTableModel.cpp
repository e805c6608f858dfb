#include "widgets/RunTableModel.h"

#include "core/experiment/SeedGroups.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QStringList>

#include <algorithm>
#include <unordered_map>

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

QString labelsText(const mtl::RunSummary& s) {
    if (s.detLabels < 0) return QStringLiteral("on disk");
    return QStringLiteral("%1 / %2 (%3 both)").arg(s.detLabels).arg(s.segLabels).arg(s.bothLabels);
}

QColor statusColour(mtl::RunStatus s) {
    switch (s) {
    case mtl::RunStatus::Running: return QColor(31, 119, 180);
    case mtl::RunStatus::Finished: return QColor(44, 160, 44);
    case mtl::RunStatus::Failed: return QColor(214, 39, 40);
    case mtl::RunStatus::Interrupted: return QColor(255, 127, 14);
    default: return QColor(127, 127, 127);
    }
}

bool sameRow(const mtl::RunSummary& a, const mtl::RunSummary& b) {
    return a.record.status == b.record.status && a.record.name == b.record.name && a.record.message == b.record.message &&
           a.record.splitJson == b.record.splitJson && a.tags == b.tags && a.record.device == b.record.device &&
           a.seedGroup == b.seedGroup;
}
} // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setRuns(std::vector<mtl::RunSummary> runs) {
    // Same ids in the same order (the usual refresh): update changed rows in place.
    const bool sameIds = runs.size() == runs_.size() &&
                         std::equal(runs.begin(), runs.end(), runs_.begin(), [](const auto& a, const auto& b) {
                             return a.record.id == b.record.id;
                         });
    if (sameIds) {
        bool changed = false;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            if (sameRow(runs[i], runs_[i])) continue;
            runs_[i] = std::move(runs[i]);
            changed = true;
        }
        if (!changed) return;
        // A changed run changes its group's row (status, seed count) too: all rows are re-read.
        groupSeeds();
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    runs_ = std::move(runs);
    groupSeeds();
    endResetModel();
}

void RunTableModel::groupSeeds() {
    std::vector<std::string> keys;
    for (const auto& r : runs_) keys.push_back(r.seedGroup);
    groupOf_.clear();
    for (const auto& members : mtl::groupByKey(keys)) {
        QList<qint64> ids;
        for (const std::size_t m : members) ids << runs_[m].record.id;
        for (const qint64 id : ids) groupOf_.insert(id, ids);
    }
}

void RunTableModel::setSeedsCollapsed(bool on) {
    if (on == collapsed_) return;
    beginResetModel();
    collapsed_ = on;
    endResetModel();
}

QList<qint64> RunTableModel::seedGroupOf(qint64 runId) const { return groupOf_.value(runId, {runId}); }

bool RunTableModel::isLaterSeed(int row) const {
    const mtl::RunSummary* s = runAt(row);
    return s && seedGroupOf(s->record.id).front() != s->record.id;
}

const mtl::RunSummary* RunTableModel::runAt(int row) const {
    return row >= 0 && row < int(runs_.size()) ? &runs_[std::size_t(row)] : nullptr;
}

int RunTableModel::rowOf(qint64 runId) const {
    for (std::size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i].record.id == runId) return int(i);
    return -1;
}

int RunTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(runs_.size()); }
int RunTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    const mtl::RunSummary* s = runAt(index.row());
    if (!s) return {};
    const mtl::RunRecord& r = s->record;
    if (role == RunIdRole) return qint64(r.id);
    if (role == Qt::ForegroundRole && index.column() == Status) return QBrush(statusColour(r.status));
    // The device column is narrow: a data-parallel run's device names its processes and backend.
    if (role == Qt::ToolTipRole && Column(index.column()) == Device) return qs(r.device);
    if (role == Qt::ToolTipRole) return r.message.empty() ? qs(r.runDir) : qs(r.message);
    if (role != Qt::DisplayRole && role != SortRole) return {};
    const bool sort = role == SortRole;
    const QList<qint64> seeds = collapsed_ ? seedGroupOf(r.id) : QList<qint64>{r.id};
    switch (Column(index.column())) {
    case Id: return qint64(r.id);
    case Name:
        return seeds.size() < 2 ? qs(r.name) : tr("%1 · %n seeds", nullptr, int(seeds.size())).arg(qs(s->groupName));
    case Status: {
        QStringList statuses; // a group's: each status once, in row order
        for (const qint64 id : seeds)
            if (const mtl::RunSummary* seed = runAt(rowOf(id))) statuses << qs(mtl::toString(seed->record.status));
        statuses.removeDuplicates();
        return statuses.join(", ");
    }
    case Method: return qs(s->method);
    case Sampling: return qs(s->sampling) + (s->luScope.empty() ? QString() : " · Lu " + qs(s->luScope));
    case Setting: return qs(s->setting);
    case Labels: return sort ? QVariant(s->detLabels + s->segLabels) : QVariant(labelsText(*s));
    case Dataset: return qs(s->dataset);
    case Device: return qs(r.device);
    case Created:
        return sort ? QVariant(r.createdAt)
                    : QVariant(QDateTime::fromMSecsSinceEpoch(qint64(r.createdAt * 1000)).toString("yyyy-MM-dd HH:mm"));
    case Tags: {
        QStringList tags;
        for (const auto& t : s->tags) tags << qs(t);
        return tags.join(", ");
    }
    case ColumnCount: break;
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"ID", "Name", "Status", "Method", "Sampling", "Setting", "Labels det / seg",
                                  "Data set", "Device", "Created", "Tags"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}
