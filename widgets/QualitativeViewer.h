#pragma once
// Ground truth and up to four runs side by side on the same validation image: masks in the
// Cityscapes palette with an opacity, boxes with class and score above a confidence threshold
// (default 0.5), per-class toggles with a legend, synchronised zoom and pan, an error view, keyboard
// navigation (←/→, PgUp/PgDn, Home/End, +/−/0, E) and export of the composite as PNG. Predictions
// are computed in a worker thread, one image at a time, and cached per run and image. Beside them,
// the images ranked by the runs' per-image results (ImageRankingPanel): ←/→ then follow the ranking.
#include "core/data/Dataset.h"
#include "core/model/ImagePrediction.h"
#include "widgets/OverlayRenderer.h"

#include <QHash>
#include <QImage>
#include <QWidget>

#include <functional>
#include <list>
#include <memory>

class ImageRankingPanel;
class QCheckBox;
class QLabel;
class QListWidget;
class QSlider;
class QThreadPool;
class ViewState;
class ZoomPane;

// One run in the viewer. `open` is called once, in the worker thread, and returns the function
// that predicts an RGB image (loading the run's checkpoint there, never in the GUI thread) and
// what it predicts with ("best.pt, step 1500"), shown in the run's caption. A new `version` of a
// shown run (a new best checkpoint) drops its predictions and opens it again.
struct ViewerRun {
    qint64 id = 0;
    QString name;
    using Predict = std::function<mtl::ImagePrediction(const cv::Mat& rgb)>;
    struct Opened {
        Predict predict;
        QString source;
    };
    std::function<Opened()> open;
    QString version;
};

class QualitativeViewer : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 4;
    explicit QualitativeViewer(QWidget* parent = nullptr);
    ~QualitativeViewer() override;

    void setDataset(std::shared_ptr<const mtl::Dataset> images);
    // The first kMaxRuns are shown. In a window whose other tab is current, the panes and their
    // predictions wait until the viewer is shown: selecting runs costs a hidden viewer nothing.
    void setRuns(const QList<ViewerRun>& runs);
    // A prediction known in advance (e.g. exported label maps); used instead of the worker.
    void setPrediction(qint64 runId, int index, const mtl::ImagePrediction& prediction);
    void showIndex(int index);
    // The next (+1) or previous (−1) image: in the ranking when there is one, else in the data set.
    void step(int delta);
    int index() const { return index_; }
    ImageRankingPanel* ranking() const { return ranking_; }
    int count() const;

    OverlayOptions& options() { return options_; }
    void setOpacity(double opacity);
    void setScoreThreshold(double threshold);
    void setErrorView(bool on);
    void setClassVisible(mtl::Task task, int cls, bool visible);

    // Re-renders every pane from cached data (no inference); what every control change does.
    void rerender();
    // The panes' pictures at full resolution in a grid with captions.
    QImage composite() const;
    bool exportComposite(const QString& path) const;
    int paneCount() const;
    const QImage& paneImage(int pane) const;
    QString paneCaption(int pane) const;
    QStringList paneLabels(int pane) const; // the box tags a pane draws at screen size
    bool predictionsPending() const { return !inFlight_.isEmpty(); }
    ViewState* view() const { return view_; }

Q_SIGNALS:
    void predictionsReady(); // every shown run has its prediction for the current image

protected:
    void keyPressEvent(QKeyEvent*) override;
    void showEvent(QShowEvent*) override;

private:
    struct Cached;
    void loadImage();
    void applyRuns();
    void requestPredictions();
    QString imageCaption() const; // "i / n: image id", with the rank and value in a ranking
    void applyRanking(bool showFirst);
    void rebuildLegend();
    void cachePut(qint64 runId, int index, std::shared_ptr<const mtl::ImagePrediction> p);

    std::shared_ptr<const mtl::Dataset> dataset_;
    QList<ViewerRun> runs_;
    int index_ = 0;
    bool runsPending_ = false; // setRuns while hidden in a shown window: applied on show
    QImage image_;
    mtl::Sample truth_;
    OverlayOptions options_;
    // LRU cache of predictions by (run, image index).
    std::list<std::pair<QPair<qint64, int>, std::shared_ptr<const mtl::ImagePrediction>>> cache_;
    QHash<QPair<qint64, int>, bool> inFlight_;
    // Predictors by run, created and used in the worker thread only.
    std::shared_ptr<QHash<qint64, ViewerRun::Opened>> predictors_;
    QHash<qint64, QString> sources_; // what each run predicts with, once opened
    QThreadPool* worker_;

    ViewState* view_;
    QList<ZoomPane*> panes_;
    QSlider* opacity_;
    QSlider* threshold_;
    QLabel* thresholdValue_;
    QCheckBox* errorView_;
    QListWidget* legend_;
    QLabel* caption_;
    ImageRankingPanel* ranking_;
    QVector<int> order_;         // data set indices in ranked order; empty: the data set's order
    QHash<int, int> rankOf_;     // data set index -> position in order_
    QStringList rankValues_;     // per position: the value it is ranked by
};
