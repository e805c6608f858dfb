#include "widgets/ImageRankingPanel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace {
// What an order choice ranks by: -1 = the data set's order; else run `a` worst first, or (b ≥ 0)
// where run b beats run a.
struct OrderKey {
    int a = -1, b = -1;
};
QVariant encode(OrderKey k) { return QVariant(QPoint(k.a, k.b)); }
OrderKey decode(const QVariant& v) { return {v.toPoint().x(), v.toPoint().y()}; }
} // namespace

ImageRankingPanel::ImageRankingPanel(QWidget* parent)
    : QWidget(parent), order_(new QComboBox(this)), metric_(new QComboBox(this)), list_(new QTableWidget(this)),
      note_(new QLabel(this)) {
    metric_->addItem(tr("Segmentation IoU"), int(mtl::ImageMetric::SegIoU));
    metric_->addItem(tr("Detection AP50"), int(mtl::ImageMetric::DetAP50));
    metric_->addItem(tr("Detection recall"), int(mtl::ImageMetric::DetRecall));
    for (QComboBox* box : {order_, metric_}) {
        box->setFocusPolicy(Qt::NoFocus); // arrow keys stay with the viewer
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    list_->setColumnCount(2);
    list_->setHorizontalHeaderLabels({tr("Image"), tr("Score")});
    list_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    list_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    list_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setFocusPolicy(Qt::NoFocus);
    note_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(order_);
    layout->addWidget(metric_);
    layout->addWidget(note_);
    layout->addWidget(list_, 1);
    fillChoices();
    connect(order_, &QComboBox::currentIndexChanged, this, [this] { rerank(true); });
    connect(metric_, &QComboBox::currentIndexChanged, this, [this] { rerank(true); });
    connect(list_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (row >= 0 && row < int(ranking_.size())) Q_EMIT imageChosen(QString::fromStdString(ranking_[std::size_t(row)].id));
    });
}

void ImageRankingPanel::setRuns(QList<RankedRun> runs) {
    runs_ = std::move(runs);
    fillChoices();
    rerank(false);
}

void ImageRankingPanel::fillChoices() {
    const QVariant current = order_->currentData();
    const QSignalBlocker block(order_);
    order_->clear();
    order_->addItem(tr("Data set order"), encode({}));
    QList<int> ranked; // runs that have per-image results
    for (int r = 0; r < runs_.size(); ++r)
        if (runs_[r].results) {
            ranked << r;
            order_->addItem(tr("Worst first: %1").arg(runs_[r].name), encode({r, -1}));
        }
    if (ranked.size() >= 2) {
        const int a = ranked[0], b = ranked[1];
        order_->addItem(tr("Where %1 beats %2").arg(runs_[b].name, runs_[a].name), encode({a, b}));
        order_->addItem(tr("Where %1 beats %2").arg(runs_[a].name, runs_[b].name), encode({b, a}));
    }
    order_->setCurrentIndex(std::max(0, order_->findData(current)));
    QStringList missing;
    for (const RankedRun& run : runs_)
        if (!run.results) missing << run.missing;
    note_->setText(missing.join('\n'));
    note_->setVisible(!missing.isEmpty());
}

void ImageRankingPanel::rerank(bool chosen) {
    const OrderKey key = decode(order_->currentData());
    const auto metric = mtl::ImageMetric(metric_->currentData().toInt());
    ranking_.clear();
    if (key.a >= 0 && key.a < runs_.size() && runs_[key.a].results) {
        const mtl::PerImageResults* better =
            key.b >= 0 && key.b < runs_.size() && runs_[key.b].results ? &*runs_[key.b].results : nullptr;
        ranking_ = mtl::rankImages(*runs_[key.a].results, metric, better);
    }
    valueTexts_.clear();
    list_->setRowCount(int(ranking_.size()));
    for (std::size_t i = 0; i < ranking_.size(); ++i) {
        const double v = ranking_[i].value;
        const QString value = std::isnan(v) ? QStringLiteral("–") : key.b >= 0 ? QString::asprintf("%+.3f", v)
                                                                                : QString::number(v, 'f', 3);
        valueTexts_ << value;
        list_->setItem(int(i), 0, new QTableWidgetItem(QString::fromStdString(ranking_[i].id)));
        auto* score = new QTableWidgetItem(value);
        score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        list_->setItem(int(i), 1, score);
    }
    list_->setVisible(!ranking_.empty());
    Q_EMIT rankingChanged(chosen);
}
