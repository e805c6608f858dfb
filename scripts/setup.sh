#!/usr/bin/env bash
# Installs everything MTL Workbench needs to build and test on Debian 12 (Ubuntu 22.04+ works too),
# then fetches QCustomPlot's source through Debian's source package into third_party/ (git-ignored).
# Idempotent: a second run only checks. Run as root (or with sudo available).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  build-essential cmake ninja-build pkg-config git dpkg-dev
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev
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

have_deb_src() {
  grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

qcp_dir="$here/third_party/qcustomplot"
need_qcp=1
if ls "$qcp_dir"/qcustomplot-*/qcustomplot.cpp >/dev/null 2>&1; then need_qcp=0; fi

if [ ${#missing[@]} -gt 0 ] || { [ $need_qcp -eq 1 ] && ! have_deb_src; }; then
  if [ $need_qcp -eq 1 ] && ! have_deb_src; then
    # Debian 12 describes its archives in deb822 files; add the matching source entries.
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | $SUDO tee /etc/apt/sources.list.d/mtlw-deb-src.sources >/dev/null
    elif [ -f /etc/apt/sources.list ]; then
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
        | $SUDO tee /etc/apt/sources.list.d/mtlw-deb-src.list >/dev/null
    fi
  fi
  echo "setup: apt-get update"
  $SUDO apt-get update -qq
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ $need_qcp -eq 1 ]; then
  # Debian's binary libqcustomplot links Qt 5; its source package (with Debian's Qt 6 moc patch
  # applied by dpkg-source) is compiled by our CMake as a static library against Qt 6.
  echo "setup: fetching QCustomPlot source package"
  mkdir -p "$qcp_dir"
  (cd "$qcp_dir" && apt-get source -qq qcustomplot >/dev/null)
fi
ls -d "$qcp_dir"/qcustomplot-*/ | head -1 | sed 's/^/setup: QCustomPlot source at /'
echo "setup: done"
