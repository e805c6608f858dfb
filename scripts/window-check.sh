#!/usr/bin/env bash
# The GUI in a real window, as a user meets it: Xvfb with the openbox window manager, at 1600x1000
# (docs/screenshots/, the README's pictures) and at 1280x800 (docs/screenshots/1280x800/), every
# tab shot by mtl-workbench-screenshots: designer, plots, viewer, augmentation, tables, then
# equivariance and teacher. Needs the Debian packages xvfb and openbox (not installed by setup.sh:
# only this check uses them).
# Usage: scripts/window-check.sh [BUILD_DIR] --registry FILE [--runs 1,2]
#   FILE: a registry with finished runs to show (a copy is used), e.g. one made by
#   scripts/replicate_synthetic.sh or by two quick-start runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MTLW_BUILD_DIR:-$here/build}
if [ $# -gt 0 ] && [[ $1 != --* ]]; then build=$1; shift; fi
tool="$build/app/mtl-workbench/mtl-workbench-screenshots"
[ -x "$tool" ] || { echo "window-check.sh: $tool not built (cmake --build $build --target mtl-workbench-screenshots)" >&2; exit 2; }
for program in Xvfb openbox; do
  command -v $program >/dev/null || { echo "window-check.sh: $program not found (Debian packages xvfb and openbox)" >&2; exit 2; }
done
[[ " $* " == *" --registry "* ]] || { echo "window-check.sh: --registry FILE is required" >&2; exit 2; }

# A private settings folder: the user's saved layout must not change the pictures.
export XDG_CONFIG_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR=$XDG_CONFIG_HOME
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$XDG_CONFIG_HOME"; }
trap cleanup EXIT

for size in 1600x1000 1280x800; do
  out="$here/docs/screenshots"
  [ $size = 1600x1000 ] || out="$out/$size"
  mkdir -p "$out"
  display=:$((90 + RANDOM % 100))
  Xvfb $display -screen 0 ${size}x24 -nolisten tcp &
  server=$!
  sleep 1
  DISPLAY=$display openbox >/dev/null 2>&1 &
  sleep 1
  DISPLAY=$display QT_QPA_PLATFORM=xcb "$tool" "$out" --palette light "$@"
  DISPLAY=$display QT_QPA_PLATFORM=xcb "$tool" "$out" --palette light --equivariance "$@"
  kill $server
  wait $server 2>/dev/null || true
  server=
  echo "$size: $(ls "$out"/*.png | wc -l) pictures in $out"
done
