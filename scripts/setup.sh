#!/usr/bin/env bash
# Installs the Debian packages MTL Workbench needs to build and test on Debian 12 (Ubuntu 22.04+
# works too), and nothing else: no sources list is written, no source is fetched or compiled.
# Prints what it installs; when everything is there it only checks (no apt-get update).
# Run as root (or with sudo available).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  build-essential cmake ninja-build pkg-config git dpkg-dev
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-svg-dev
  libqcustomplot-dev      # QCustomPlot with its Qt 6 build (QCustomPlotQt6 CMake package)
  libtorch-dev libopenblas0-openmp
  libgloo-dev             # the headers LibTorch's c10d (data-parallel training) includes
  libopencv-imgproc-dev libopencv-imgcodecs-dev
  libyaml-cpp-dev libsqlite3-dev nlohmann-json3-dev
  xvfb xauth imagemagick x11-apps
  librsvg2-bin            # rsvg-convert renders the icon's PNG sizes
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
