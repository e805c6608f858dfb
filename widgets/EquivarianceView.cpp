#include "widgets/EquivarianceView.h"

#include "core/eval/EquivarianceProbe.h"
#include "core/eval/RunPredictor.h"
#include "core/experiment/StoredRun.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <filesystem>

struct EquivarianceRuns {
    QList<EquivarianceRun> runs;               // those with scores
    std::vector<std::vector<mtl::EquivarianceScore>> scores;
    QStringList problems;                      // runs without a readable file
};

namespace {
QString percent(const std::optional<double>& v) { return v ? QString::number(*v, 'f', 3) : QStringLiteral("–"); }

EquivarianceRuns load(const QList<EquivarianceRun>& runs) {
    EquivarianceRuns d;
    for (const EquivarianceRun& r : runs) {
        const std::string file = (std::filesystem::path(r.runDir.toStdString()) / mtl::kEquivarianceFile).string();
        if (!QFileInfo::exists(QString::fromStdString(file))) {
            d.problems << QObject::tr("run %1: not measured yet (Measure, or mtlw diagnose equivariance %1)").arg(r.id);
            continue;
        }
        try {
            d.scores.push_back(mtl::readEquivarianceJson(file));
            d.runs << r;
        } catch (const std::exception& e) {
            d.problems << QString::fromStdString(e.what());
        }
    }
    return d;
}
} // namespace

EquivarianceView::EquivarianceView(QWidget* parent)
    : QWidget(parent), message_(new QLabel(this)), status_(new QLabel(this)),
      measure_(new QPushButton(tr("Measure selected runs"), this)), table_(new QTableWidget(this)),
      plot_(new QCustomPlot(this)) {
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    plot_->yAxis->setLabel(tr("seg. agreement (mIoU)")); // mIoU(f(T x), T f(x)); short enough for the axis
    plot_->yAxis->setRange(0, 1);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(font());
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(table_);
    split->addWidget(plot_);
    // The plot gets the larger share and never less than a readable height (rotated tick labels
    // below it take about 80 px).
    plot_->setMinimumHeight(260);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    measure_->setToolTip(tr("Runs `mtlw diagnose equivariance` on each selected run: its best weights on 20 "
                            "validation images, in the background; the result is kept in the run's folder"));
    connect(measure_, &QPushButton::clicked, this, &EquivarianceView::measure);
    auto* bar = new QHBoxLayout;
    bar->addWidget(measure_);
    bar->addWidget(status_, 1);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("How far each run's model commutes with the strong view's affine families "
                                "(1 = exactly equivariant); measured by <tt>mtlw diagnose equivariance RUN</tt>."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(bar);
    layout->addWidget(message_);
    layout->addWidget(split, 1);
    message_->hide();
}

QString EquivarianceView::message() const { return message_->text(); }

void EquivarianceView::measure() {
    if (runs_.isEmpty() || measuring_) return;
    measuring_ = true;
    measure_->setEnabled(false);
    status_->setText(tr("measuring %n run(s)…", nullptr, int(runs_.size())));
    measureJob_.run(
        [runs = runs_] {
            QStringList problems;
            for (const EquivarianceRun& r : runs) {
                try {
                    mtl::RunPredictor predictor(mtl::readStoredRun(r.runDir.toStdString()));
                    predictor.diagnoseEquivariance("val", 20, {}, /*save=*/true);
                } catch (const std::exception& e) {
                    problems << QObject::tr("run %1: %2").arg(r.id).arg(QString::fromStdString(e.what()));
                }
            }
            return problems;
        },
        [this](const QStringList& problems) {
            measuring_ = false;
            measure_->setEnabled(true);
            status_->setText(problems.isEmpty() ? tr("measured") : problems.join('\n'));
            setRuns(runs_);
            Q_EMIT measured();
        });
}

void EquivarianceView::setRuns(const QList<EquivarianceRun>& runs) {
    runs_ = runs;
    measure_->setEnabled(!runs.isEmpty() && !measuring_);
    job_.run([runs] { return load(runs); }, [this](const EquivarianceRuns& d) {
        display(d);
        Q_EMIT loaded();
    });
}

void EquivarianceView::display(const EquivarianceRuns& d) {
    message_->setText(d.problems.join('\n'));
    message_->setVisible(!d.problems.isEmpty());
    // Rows: the first run's transforms (every run is probed with the same list).
    const std::vector<mtl::EquivarianceScore> none;
    const auto& rows = d.scores.empty() ? none : d.scores.front();
    table_->clear();
    table_->setRowCount(int(rows.size()));
    table_->setColumnCount(1 + 2 * int(d.runs.size()));
    QStringList header{tr("transform")};
    for (const EquivarianceRun& r : d.runs) header << tr("%1 %2\nseg agreement").arg(r.id).arg(r.name) << tr("%1\nbox recall").arg(r.id);
    table_->setHorizontalHeaderLabels(header);
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (int i = 0; i < int(rows.size()); ++i) {
        table_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(rows[std::size_t(i)].transform.label())));
        ticks->addTick(i, QString::fromStdString(rows[std::size_t(i)].transform.label()));
    }
    plot_->clearGraphs();
    for (int r = 0; r < int(d.runs.size()); ++r) {
        const auto& scores = d.scores[std::size_t(r)];
        QCPGraph* g = plot_->addGraph();
        g->setName(QString("%1 %2").arg(d.runs[r].id).arg(d.runs[r].name));
        g->setPen(QPen(QColor::fromHsv((r * 97) % 360, 200, 200), 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
        for (int i = 0; i < int(std::min(scores.size(), rows.size())); ++i) {
            const auto& s = scores[std::size_t(i)];
            for (const auto& [column, value] : {std::pair{1 + 2 * r, s.segMeanIoU}, std::pair{2 + 2 * r, s.boxRecall}}) {
                auto* item = new QTableWidgetItem(percent(value));
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                table_->setItem(i, column, item);
            }
            if (s.segMeanIoU) g->addData(i, *s.segMeanIoU);
        }
    }
    table_->resizeColumnsToContents();
    plot_->xAxis->setTicker(ticks);
    plot_->xAxis->setTickLabelRotation(45);
    plot_->xAxis->setRange(-0.5, std::max<double>(0.5, double(rows.size()) - 0.5));
    plot_->replot();
}
