// The main window's menus, toolbar and About box (standard shortcuts from QKeySequence where Qt has
// one for the action).
#include "core/common/VersionReport.h"
#include "core/common/Version.h"
#include "widgets/AugmentPreviewWidget.h"
#include "widgets/MainWindow.h"
#include "widgets/MetricPlotWidget.h"
#include "widgets/QualitativeViewer.h"
#include "widgets/RunsPanel.h"
#include "widgets/TrainingController.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTabWidget>
#include <QToolBar>

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open experiment…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), {}, tr("Experiments (*.yaml *.yml)"));
        if (!path.isEmpty()) loadConfig(path);
    });
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* exportPlot = file->addAction(tr("&Export plot…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), "plot.png",
                                                          tr("PNG (*.png);;PDF (*.pdf);;SVG (*.svg)"));
        if (!path.isEmpty() && !plots_->exportTo(path))
            QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1").arg(path));
    });
    exportPlot->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &viewer composite…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export composite"), "composite.png", "PNG (*.png)");
        if (!path.isEmpty() && !viewer_->exportComposite(path))
            QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1").arg(path));
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    startAction_ = run->addAction(tr("&Start experiment"), this, &MainWindow::startRun);
    startAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    stopAction_ = run->addAction(tr("S&top current run"), this, &MainWindow::stopRun);
    stopAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    run->addSeparator();
    QAction* remove = run->addAction(tr("&Delete selected runs…"), this, [this] { deleteRuns(runs_->selectedRunIds()); });
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    runs_->addAction(remove); // Delete acts in the runs table only
    // Also re-reads the tables, in case a run's files changed behind the registry's back.
    run->addAction(tr("&Refresh runs"), this, [this] {
        shownState_ = QStringLiteral("unread");
        refreshRuns();
    })->setShortcut(QKeySequence::Refresh);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName("viewMenu");
    for (int i = 0; i < tabs_->count(); ++i) {
        QAction* a = view->addAction(tabs_->tabText(i).remove('&'), this, [this, i] { tabs_->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::ALT | (Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction* full = view->addAction(tr("&Full screen"), this, [this](bool on) {
        on ? showFullScreen() : showNormal();
    });
    full->setCheckable(true);
    full->setShortcut(QKeySequence::FullScreen);
    view->addAction(tr("&Reset layout"), this, [this] {
        QSettings().remove("mainWindow");
        QMessageBox::information(this, tr("Layout"), tr("The default layout is used from the next start."));
    });
    view->addSeparator();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MTL Workbench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    auto* toolbar = addToolBar(tr("Experiment"));
    toolbar->setObjectName("experimentToolbar");
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(open);
    toolbar->addAction(startAction_);
    toolbar->addAction(stopAction_);
    toolbar->addSeparator();
    toolbar->addWidget(experimentLabel_);
}

void MainWindow::showAbout() {
    QString versions = QString::fromStdString(mtl::libraryVersions()).toHtmlEscaped();
    versions.replace('\n', "<br>");
    QMessageBox::about(this, tr("About MTL Workbench"),
                       tr("<h3>MTL Workbench %1</h3><p>Multi-task learning from partially labeled data: "
                          "semantic segmentation and object detection with invariant and equivariant "
                          "semi-supervised learning.</p><p>%2<br>Qt %3 (run time %4), QCustomPlot %5</p>"
                          "<p>Device: %6</p>")
                           .arg(QString::fromLatin1(mtl::projectVersion()), versions, QStringLiteral(QT_VERSION_STR),
                                QString::fromLatin1(qVersion()), QStringLiteral(QCUSTOMPLOT_VERSION_STR),
                                QString::fromStdString(mtl::autoDeviceSummary()).toHtmlEscaped()));
}
