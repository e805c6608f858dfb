#include "widgets/Palettes.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

QPalette darkPalette() {
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(230, 230, 230), disabled(130, 130, 130);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(52, 52, 56));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(100, 160, 240));
    p.setColor(QPalette::Highlight, QColor(42, 110, 190));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(90, 90, 95));
    p.setColor(QPalette::PlaceholderText, disabled);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

QPalette lightPalette() { return QStyleFactory::create("Fusion")->standardPalette(); }

bool applyPalette(const QString& name) {
    if (name == "system") return true;
    if (name != "light" && name != "dark") return false;
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QApplication::setPalette(name == "dark" ? darkPalette() : lightPalette());
    return true;
}

bool paletteIsDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }
