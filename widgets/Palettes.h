#pragma once
// Light and dark palettes. By default the application keeps the palette the platform theme gives
// (the desktop's light or dark setting); `--palette light|dark` forces one with the Fusion style,
// which draws every widget from the palette.
#include <QPalette>
#include <QString>

QPalette darkPalette();
QPalette lightPalette();
// "system" (keep), "light" or "dark"; false for another name.
bool applyPalette(const QString& name);
// Whether the palette in use is dark (its window colour is), for colours chosen in code.
bool paletteIsDark(const QPalette& palette);
