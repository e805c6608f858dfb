#pragma once
// The experiment designer: the label split drawn on a SubsetCanvas (or picked from the paper's
// presets), its counts live, thumbnails of the images of the part under the cursor, and the runs
// to queue: methods × samplings × Lu scopes × seeds over the loaded experiment config. The split it
// shows is the core LabelSplit that `mtlw split` makes for the same setting, counts and seed.
#include "core/data/LabelSplit.h"
#include "core/data/SubsetDesign.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/ExperimentGrid.h"

#include <QHash>
#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class SubsetCanvas;

namespace mtl {
class Dataset;
}

class SubsetDesigner : public QWidget {
    Q_OBJECT
public:
    explicit SubsetDesigner(QWidget* parent = nullptr);
    ~SubsetDesigner() override;

    // The experiment the runs start from and its training split (opened by the caller, off the GUI
    // thread). The design resets to the first paper preset, unless the pool is the one the design
    // was drawn on (another config on the same data): then it stays.
    void setExperiment(const mtl::ExperimentConfig& base, std::shared_ptr<const mtl::Dataset> train);

    // No data set (its config failed to load): disabled, showing why.
    void clearExperiment(const QString& why);
    void applyPreset(int index); // index into mtl::paperPresets()
    void setDesign(const mtl::SubsetDesign& design);
    const mtl::SubsetDesign& design() const { return design_; }
    // The split of the design for the first seed; nullopt before an experiment is set.
    const std::optional<mtl::LabelSplit>& split() const { return split_; }
    mtl::GridRequest gridRequest() const;
    // The configs Start queues; throws mtl::InputError / ConfigError on a bad choice.
    std::vector<mtl::ExperimentConfig> plannedRuns() const;
    QString countsText() const;
    // The shown split as the file `mtlw split` writes (a config names it as data.split.file), and
    // back: a saved split opens as its setting, counts and seed, and must draw the same images on
    // this data set. Both return "" or the error (naming the file); the buttons show it.
    QString saveSplit(const QString& path);
    QString openSplit(const QString& path);
    SubsetCanvas* canvas() const { return canvas_; }
    QLabel* thumbnails() const { return thumbnails_; }

Q_SIGNALS:
    // Start was pressed with this grid (already checked by plannedRuns()).
    void startRequested(const std::vector<mtl::ExperimentConfig>& configs);

private:
    void designEdited();
    void refresh();
    void showThumbnails(int part, QPoint globalPos);
    std::vector<std::string> idsOfPart(int part) const;

    mtl::ExperimentConfig base_;
    std::shared_ptr<const mtl::Dataset> train_;
    mtl::SubsetDesign design_;
    std::optional<mtl::LabelSplit> split_;
    QHash<QString, QImage> thumbCache_;
    int thumbPart_ = -1;
    bool updating_ = false;
    bool designed_ = false; // a design was drawn on a data set (kept for another config on it)

    SubsetCanvas* canvas_;
    QComboBox* preset_;
    QSpinBox* det_;
    QSpinBox* seg_;
    QCheckBox* nested_;
    QLabel* counts_;
    QLabel* thumbnails_;
    std::vector<QCheckBox*> methods_; // one per registered method, in LearningMethod::all()'s order
    QCheckBox* samplings_[2];
    QCheckBox* luScopes_[2];
    QLineEdit* seeds_;
    QLabel* plan_;
    QPushButton* start_;
};
