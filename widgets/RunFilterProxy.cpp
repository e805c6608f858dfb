#include "widgets/RunFilterProxy.h"

#include "widgets/RunTableModel.h"

#include <algorithm>

RunFilterProxy::RunFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RunTableModel::SortRole);
    setDynamicSortFilter(true);
}

void RunFilterProxy::changed() { invalidateFilter(); }

void RunFilterProxy::setStatus(const QString& v) { status_ = v; changed(); }
void RunFilterProxy::setMethod(const QString& v) { method_ = v; changed(); }
void RunFilterProxy::setSetting(const QString& v) { setting_ = v; changed(); }
void RunFilterProxy::setTag(const QString& v) { tag_ = v; changed(); }
void RunFilterProxy::setNameContains(const QString& v) { name_ = v; changed(); }

bool RunFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = qobject_cast<const RunTableModel*>(sourceModel());
    const mtl::RunSummary* s = model ? model->runAt(sourceRow) : nullptr;
    if (!s || (model->seedsCollapsed() && model->isLaterSeed(sourceRow))) return false;
    const auto is = [](const QString& wanted, const std::string& value) {
        return wanted.isEmpty() || wanted == QString::fromStdString(value);
    };
    if (!is(status_, mtl::toString(s->record.status)) || !is(method_, s->method) || !is(setting_, s->setting))
        return false;
    if (!tag_.isEmpty() &&
        std::none_of(s->tags.begin(), s->tags.end(), [&](const std::string& t) { return QString::fromStdString(t) == tag_; }))
        return false;
    return name_.isEmpty() || QString::fromStdString(s->record.name).contains(name_, Qt::CaseInsensitive);
}
