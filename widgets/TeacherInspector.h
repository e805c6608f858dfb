#pragma once
// The Teacher tab: what a run's teacher taught, from the snapshots the run stores while it trains
// (core/train/TeacherSnapshotFiles.h). A step slider over the snapshots (following the newest while
// the run trains); per watched image the image with the labels training does not see, the
// teacher's pseudo-labels and boxes in the image's frame, their disagreement with those labels
// (coloured by the class the teacher chose), and the strong view with the pseudo-labels Lu trained
// on; a confusion strip over the snapshot's images (which class the teacher turns into which); the
// box threshold as a slider (what another σ would have given); export of the panel as PNG. Files
// are read off the GUI thread; a bad file is named in the panel's message and nothing else breaks.
#include "widgets/LatestResult.h"

#include <QImage>
#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QScrollArea;
class QSlider;
struct TeacherIndexData;
struct TeacherStepData;

class TeacherInspector : public QWidget {
    Q_OBJECT
public:
    explicit TeacherInspector(QWidget* parent = nullptr);
    ~TeacherInspector() override;

    // The run shown (runDir empty: none); reads its snapshot index.
    void setRun(qint64 id, const QString& name, const QString& runDir);
    // Reads the index again: a live run's new snapshots. Follows the newest if the slider is on it.
    void refresh();
    void showSnapshot(int position); // 0-based among the stored snapshots
    void setBoxThreshold(double threshold);

    qint64 runId() const { return runId_; }
    int snapshotCount() const;
    qint64 shownStep() const; // -1 when none is shown
    QString message() const;  // what the panel says (no snapshots, nothing to compare with, a bad file)
    QString headline() const { return headline_; } // the panel's first line, worded for the run's method
    const QImage& panel() const { return panel_; }
    bool exportPanel(const QString& path) const;
    QSlider* stepSlider() const { return step_; }
    int confusionPixels() const; // pixels counted in the shown snapshot's confusion

Q_SIGNALS:
    void snapshotShown(); // the panel shows a newly loaded snapshot (or says why it cannot)

private:
    void loadIndex(bool followNewest);
    void render();
    QImage confusionStrip() const;

    qint64 runId_ = 0;
    QString name_, runDir_;
    std::shared_ptr<const TeacherIndexData> index_;
    std::shared_ptr<const TeacherStepData> shown_;
    QString message_;
    double boxThreshold_ = 0.5;
    bool thresholdTouched_ = false; // until then the slider shows the run's own σ
    QImage panel_;
    QString headline_;
    LatestResult indexJob_{this}, stepJob_{this};
    QLabel* title_;
    QSlider* step_;
    QLabel* stepLabel_;
    QCheckBox* follow_;
    QSlider* threshold_;
    QLabel* thresholdLabel_;
    QLabel* messageLabel_;
    QLabel* picture_;
    QScrollArea* scroll_;
};
