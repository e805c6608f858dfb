#pragma once
// The workbench's main window. Central tabs: experiment designer, live plots, qualitative viewer,
// augmentation preview, the paper's tables, the teacher inspector and the equivariance of runs; docks: the runs table and the run log. Menus
// with standard shortcuts, dock layout and window state kept in QSettings, a status bar with the
// device, the queue and the registry path.
#include "widgets/LatestResult.h"

#include <QMainWindow>
#include <QMap>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTimer;
class AugmentPreviewWidget;
class MetricPlotWidget;
struct PlotSeedGroup;
class QualitativeViewer;
class RunMetricsLoader;
class RunsPanel;
class SubsetDesigner;
class TablesWidget;
class TeacherInspector;
class EquivarianceView;
class TrainingController;

namespace mtl {
class Dataset;
class Registry;
class RunSummaryCache;
struct RunRecord;
struct ExperimentConfig;
}

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // configPath may be empty (then Start asks for a config first).
    MainWindow(const QString& registryPath, const QString& configPath, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool loadConfig(const QString& path); // shows the error and returns false on bad input
    void startRun();                      // the loaded experiment as it is
    void stopRun();
    void refreshRuns();
    // Closing asks first while a run trains; a termination signal (SIGTERM, Ctrl-C) closes at
    // once, stopping the run as Quit would.
    void closeWithoutQuestion();
    // Deletes runs from the registry after asking (confirm = false skips the question: tests).
    void deleteRuns(const QList<qint64>& ids, bool confirm = true);
    void showAbout(); // library versions and device

    RunsPanel* runsPanel() const { return runs_; }
    MetricPlotWidget* plots() const { return plots_; }
    QualitativeViewer* viewer() const { return viewer_; }
    SubsetDesigner* designer() const { return designer_; }
    AugmentPreviewWidget* augmentPreview() const { return augment_; }
    TablesWidget* tables() const { return tables_; }
    TeacherInspector* teacher() const { return teacher_; }
    EquivarianceView* equivariance() const { return equivariance_; }
    TrainingController* controller() const { return controller_; }
    QTabWidget* tabs() const { return tabs_; }
    bool experimentReady() const { return experimentReady_; } // data sets opened for the tabs

Q_SIGNALS:
    void experimentOpened(); // the designer, viewer and preview have their data

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void openExperimentData();
    void showRuns(const QList<qint64>& ids);
    QList<PlotSeedGroup> seedGroupsOf(const QList<qint64>& ids) const; // groups of 2+ among ids
    void updateTables();
    void fitToScreen();
    // Re-reads the tables and the viewer's runs when a shown run's results or status changed.
    void followShownRuns(const std::vector<mtl::RunRecord>& records);
    void scheduleLiveFetch();
    void enqueue(const std::vector<mtl::ExperimentConfig>& configs);
    void updateActions();
    void updateStatus();

    QString registryPath_;
    std::unique_ptr<mtl::Registry> registry_;
    std::unique_ptr<mtl::ExperimentConfig> config_;
    std::unique_ptr<mtl::RunSummaryCache> summaries_;
    bool experimentReady_ = false;
    bool shownBefore_ = false;
    bool closingWithoutQuestion_ = false;
    TrainingController* controller_;
    RunMetricsLoader* loader_;
    RunsPanel* runs_;
    MetricPlotWidget* plots_;
    QualitativeViewer* viewer_;
    SubsetDesigner* designer_;
    AugmentPreviewWidget* augment_;
    TablesWidget* tables_;
    TeacherInspector* teacher_;
    EquivarianceView* equivariance_;
    LatestResult experimentJob_{this}; // the experiment's data sets, opened off the GUI thread
    LatestResult tablesJob_{this};     // only the newest selection's tables are shown
    LatestResult viewerDataJob_{this}; // without an experiment: the first shown run's images
    qint64 viewerDataRun_ = 0;
    QList<qint64> shownRuns_;          // the selection the tables and viewer show
    QMap<qint64, QString> shownNames_;
    bool tablesPending_ = false;       // the tables are read when their tab is shown
    QString shownState_;               // the runs' status and results.json write times when read
    QTabWidget* tabs_;
    QPlainTextEdit* log_;
    QLabel* experimentLabel_;
    QLabel* progressLabel_;
    QLabel* deviceLabel_;
    QLabel* queueLabel_;
    QLabel* registryLabel_;
    QAction* startAction_;
    QAction* stopAction_;
    QTimer* refreshTimer_;
    QTimer* liveTimer_;
};
