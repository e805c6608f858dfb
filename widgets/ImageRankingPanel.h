#pragma once
// Beside the viewer: its validation images ranked by the shown runs' per-image results (core
// rankImages), worst first by a chosen score or where one run beats another, each with the value
// it is ranked by. Choosing a row shows that image; the viewer's ←/→ follow the ranking. A run
// without per-image results (trained before they were kept) is named, and the plain order stays.
#include "core/eval/PerImageScores.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QTableWidget;

struct RankedRun {
    qint64 id = 0;
    QString name;
    std::optional<mtl::PerImageResults> results;
    QString missing; // why there are none
};

class ImageRankingPanel : public QWidget {
    Q_OBJECT
public:
    explicit ImageRankingPanel(QWidget* parent = nullptr);
    void setRuns(QList<RankedRun> runs);
    // The images in ranked order with their values; empty: the data set's order.
    const std::vector<mtl::RankedImage>& ranking() const { return ranking_; }
    const QStringList& valueTexts() const { return valueTexts_; } // per ranked image, as listed
    QComboBox* orderChoice() const { return order_; }
    QComboBox* metricChoice() const { return metric_; }
    QTableWidget* list() const { return list_; }

Q_SIGNALS:
    // A new order; `chosen`: the user picked it (the viewer then shows its first image), else new
    // results of the shown runs re-ranked it (the viewer stays on its image).
    void rankingChanged(bool chosen);
    void imageChosen(const QString& id);

private:
    void fillChoices();
    void rerank(bool chosen);

    QList<RankedRun> runs_;
    std::vector<mtl::RankedImage> ranking_;
    QStringList valueTexts_;
    QComboBox* order_;
    QComboBox* metric_;
    QTableWidget* list_;
    QLabel* note_;
};
