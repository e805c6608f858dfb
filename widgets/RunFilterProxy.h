#pragma once
// Sorting and filtering of the runs table: by status, method, label setting and tag (empty = any)
// and a free text matched against the name. Sorts by RunTableModel::SortRole (numbers stay numbers).
// With the model's seeds collapsed, a group's later seeds are hidden: the filters judge its first.
#include <QSortFilterProxyModel>

class RunFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunFilterProxy(QObject* parent = nullptr);
    void setStatus(const QString& status);
    void setMethod(const QString& method);
    void setSetting(const QString& setting);
    void setTag(const QString& tag);
    void setNameContains(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void changed();
    QString status_, method_, setting_, tag_, name_;
};
