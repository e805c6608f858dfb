#pragma once
// A validation image next to its ground truth: the mask in the Cityscapes palette and the boxes
// with their class names. Left/right arrow keys (or the buttons) step through the split.
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;

namespace mtl {
class CityscapesDataset;
}

class SampleViewer : public QWidget {
    Q_OBJECT
public:
    explicit SampleViewer(QWidget* parent = nullptr);
    ~SampleViewer() override;
    // Shows the split of a Cityscapes-layout folder; an error is shown in the viewer, not thrown.
    void setDataset(const QString& root, const QString& split);
    void showIndex(int index);
    int index() const { return index_; }
    int count() const;
    QString currentId() const;

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void render();

    std::unique_ptr<mtl::CityscapesDataset> dataset_;
    int index_ = 0;
    QImage image_, truth_;
    QLabel* imageLabel_;
    QLabel* truthLabel_;
    QLabel* caption_;
    QPushButton* previous_;
    QPushButton* next_;
};
