#include "widgets/TablesWidget.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <stdexcept>

namespace {
struct FormatChoice {
    const char* label;
    const char* suffix;
    mtl::TableFormat format;
};
const FormatChoice kFormats[] = {{"CSV", "csv", mtl::TableFormat::Csv},
                                 {"Markdown", "md", mtl::TableFormat::Markdown},
                                 {"LaTeX", "tex", mtl::TableFormat::Latex}};
} // namespace

TablesWidget::TablesWidget(QWidget* parent)
    : QWidget(parent), kindChoice_(new QComboBox(this)), view_(new QTableWidget(this)), message_(new QLabel(this)) {
    kindChoice_->addItems({tr("Summary grid (Tables 1–4, 7)"), tr("Per-class IoU (Tables 5, 8)"),
                           tr("Per-class AP (Tables 6, 9)"), tr("Confusion matrix (first run)")});
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    auto* copyButton = new QToolButton(this);
    copyButton->setText(tr("Copy"));
    copyButton->setPopupMode(QToolButton::InstantPopup);
    auto* copyMenu = new QMenu(copyButton);
    for (const FormatChoice& f : kFormats) {
        exportMenu->addAction(tr(f.label), this, [this, f] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export table"), QString("table.") + f.suffix,
                                                              QString("%1 (*.%2)").arg(f.label, f.suffix));
            if (!path.isEmpty()) exportTo(path);
        });
        copyMenu->addAction(tr(f.label), this, [this, f] { copyToClipboard(f.format); });
    }
    exportButton->setMenu(exportMenu);
    copyButton->setMenu(copyMenu);
    auto* bar = new QHBoxLayout;
    bar->addWidget(kindChoice_);
    bar->addWidget(message_, 1);
    bar->addWidget(copyButton);
    bar->addWidget(exportButton);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->verticalHeader()->hide();
    view_->setAlternatingRowColors(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);
    message_->setText(tr("Select runs with validation results."));
    message_->setWordWrap(true); // a long caption must not widen the window (it is one line wide)
    message_->setMinimumWidth(200);
    connect(kindChoice_, &QComboBox::currentIndexChanged, this, [this](int i) { setKind(Kind(i)); });
}

void TablesWidget::setRuns(std::vector<mtl::TableRun> runs, mtl::ClassShares shares, QStringList skipped,
                           QString sharesNote) {
    runs_ = std::move(runs);
    shares_ = std::move(shares);
    skipped_ = std::move(skipped);
    sharesNote_ = std::move(sharesNote);
    rebuild();
}

void TablesWidget::setConfusion(mtl::Table table, QString note) {
    confusion_ = std::move(table);
    confusionNote_ = std::move(note);
    if (kind_ == Kind::Confusion) rebuild();
}

void TablesWidget::setKind(Kind kind) {
    kind_ = kind;
    if (kindChoice_->currentIndex() != int(kind)) kindChoice_->setCurrentIndex(int(kind));
    rebuild();
}

void TablesWidget::rebuild() {
    table_ = {};
    try {
        if (runs_.empty()) throw std::runtime_error(tr("Select runs with validation results.").toStdString());
        if (kind_ == Kind::Confusion) {
            if (confusion_.rows.empty()) throw std::runtime_error(confusionNote_.toStdString());
            table_ = confusion_;
        } else if (kind_ == Kind::Summary) table_ = mtl::summaryGrid(runs_);
        else if (kind_ == Kind::SegmentationClasses) table_ = mtl::perClassTable(runs_, mtl::Task::Segmentation, shares_.segPercent);
        else table_ = mtl::perClassTable(runs_, mtl::Task::Detection, shares_.detPercent);
        QString text = QString::fromStdString(table_.caption);
        if (kind_ != Kind::Summary && !sharesNote_.isEmpty()) text += " " + sharesNote_ + ".";
        message_->setText(text);
    } catch (const std::exception& e) {
        table_ = {};
        message_->setText(QString::fromStdString(e.what()));
    }
    if (!skipped_.isEmpty()) {
        message_->setText(message_->text() + tr(" (%n selected run(s) left out: hover for why)", nullptr, int(skipped_.size())));
        message_->setToolTip(skipped_.join('\n'));
    } else {
        message_->setToolTip({});
    }
    setTable(table_);
}

void TablesWidget::setTable(const mtl::Table& t) {
    if (&t != &table_) table_ = t;
    view_->clear();
    view_->setColumnCount(int(t.header.size()));
    view_->setRowCount(int(t.rows.size()));
    QStringList header;
    for (const auto& h : t.header) header << QString::fromStdString(h);
    view_->setHorizontalHeaderLabels(header);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
            const mtl::TableCell& cell = t.rows[r][c];
            auto* item = new QTableWidgetItem(QString::fromStdString(mtl::displayText(cell)) +
                                              (cell.marked ? QStringLiteral(" □") : QString()));
            QFont f = item->font();
            f.setBold(cell.bold);
            item->setFont(f);
            item->setTextAlignment(c < t.labelColumns ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            if (cell.heat >= 0) {
                // The palette's base colour towards a strong blue, legible in light and dark themes.
                const QColor base = palette().color(QPalette::Base), hot(31, 90, 180);
                const double h = std::min(cell.heat, 1.0);
                item->setBackground(QColor::fromRgbF(float(base.redF() + (hot.redF() - base.redF()) * h),
                                                     float(base.greenF() + (hot.greenF() - base.greenF()) * h),
                                                     float(base.blueF() + (hot.blueF() - base.blueF()) * h)));
                if (h > 0.5) item->setForeground(Qt::white);
            }
            view_->setItem(int(r), int(c), item);
        }
    }
    view_->resizeColumnsToContents();
}

QString TablesWidget::exported(mtl::TableFormat format) const {
    return QString::fromStdString(mtl::formatTable(table_, format));
}

bool TablesWidget::exportTo(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (const FormatChoice& f : kFormats) {
        if (suffix != f.suffix) continue;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
        return file.write(exported(f.format).toUtf8()) >= 0;
    }
    return false;
}

void TablesWidget::copyToClipboard(mtl::TableFormat format) const {
    QApplication::clipboard()->setText(exported(format));
}
