#pragma once
// Weak and strong views of one training image with their transformed labels, for both modes side
// by side (invariant = FixMatch*, equivariant = Dense FixMatch), and the weak view's labels warped
// by A∘α⁻¹ into the strong view (a teacher target). Rendered by core's renderAugmentPreview in a
// worker thread; changing the image or seed re-renders.
#include "core/augment/AugmentOptions.h"
#include "widgets/LatestResult.h"

#include <QImage>
#include <QWidget>

class QLabel;
class QSpinBox;

class AugmentPreviewWidget : public QWidget {
    Q_OBJECT
public:
    explicit AugmentPreviewWidget(QWidget* parent = nullptr);
    // dataset as in a config ("synthetic:ROOT"); options from the experiment's augment section.
    void setSource(const QString& dataset, const mtl::AugmentOptions& options);
    void showSample(int index, quint64 seed);
    // The last rendered picture of a mode: row of weak, strong, target (null before the first).
    QImage rendered(mtl::AugmentMode mode) const;
    bool isRendering() const { return jobs_[0].inFlight() + jobs_[1].inFlight() > 0; }

Q_SIGNALS:
    void rendered();

protected:
    void resizeEvent(QResizeEvent*) override;

private:
    void render();
    void showImages();

    QString dataset_;
    mtl::AugmentOptions options_;
    LatestResult jobs_[2]{LatestResult(this), LatestResult(this)}; // one per mode
    QImage images_[2];
    QString descriptions_[2];
    QSpinBox* index_;
    QSpinBox* seed_;
    QLabel* pictures_[2];
    QLabel* status_;
};
