#pragma once
// The workbench's main window: the registry's runs, the selected run's live curves and a viewer of
// the experiment's validation images with their ground truth.
#include <QMainWindow>

#include <memory>

class QAction;
class QLabel;
class QTimer;
class LossPlotWidget;
class RunListWidget;
class SampleViewer;
class TrainingController;

namespace mtl {
class Registry;
struct ExperimentConfig;
}

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // configPath may be empty (then Start asks for a config first).
    MainWindow(const QString& registryPath, const QString& configPath, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool loadConfig(const QString& path); // shows the error and returns false on bad input
    void startRun();
    void stopRun();
    void refreshRuns();

    RunListWidget* runList() const { return runList_; }
    LossPlotWidget* lossPlot() const { return plot_; }
    SampleViewer* viewer() const { return viewer_; }
    TrainingController* controller() const { return controller_; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showRun(qint64 runId);
    void updateActions();
    void locateViewerData();

    std::unique_ptr<mtl::Registry> registry_;
    std::unique_ptr<mtl::ExperimentConfig> config_;
    TrainingController* controller_;
    RunListWidget* runList_;
    LossPlotWidget* plot_;
    SampleViewer* viewer_;
    QLabel* experimentLabel_;
    QLabel* progressLabel_;
    QAction* startAction_;
    QAction* stopAction_;
    QTimer* refreshTimer_;
    qint64 shownRunId_ = 0;
};
