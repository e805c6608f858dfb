#!/usr/bin/env bash
# Screenshots of every part of the GUI into docs/screenshots/, made under Xvfb from real runs
# (two short quick-start runs trained first, a few minutes on 2 cores).
# Usage: scripts/screenshots.sh [BUILD_DIR] [--steps N | --registry FILE [--runs 1,3]]
#   --registry FILE: show the runs 1 and 2 (or --runs) of (a copy of) FILE instead of training two runs, e.g.
#   replication/registry.sqlite made by scripts/replicate_synthetic.sh (the README's pictures).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MTLW_BUILD_DIR:-$here/build}
if [ $# -gt 0 ] && [[ $1 != --* ]]; then build=$1; shift; fi
tool="$build/app/mtl-workbench/mtl-workbench-screenshots"
if [ ! -x "$tool" ]; then
  echo "screenshots.sh: $tool not built (cmake --build $build --target mtl-workbench-screenshots)" >&2
  exit 2
fi
if ! command -v xvfb-run >/dev/null; then
  echo "screenshots.sh: xvfb-run not found (Debian package xvfb)" >&2
  exit 2
fi
out="$here/docs/screenshots"
mkdir -p "$out"
# A private settings folder: the user's saved layout must not change the pictures.
export XDG_CONFIG_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR=$XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
screen="-screen 0 1600x1000x24"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "$screen" "$tool" "$out" --palette light "$@"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "$screen" "$tool" "$out" --palette dark "$@"
ls -1 "$out"
