#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, then trains the synthetic
# quick-start experiment. With a display the GUI opens with the experiment loaded (press Start);
# without one the same experiment runs headless and its result table is printed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$here/scripts/setup.sh"
build=${MTLW_BUILD_DIR:-$here/build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$here/scripts/build.sh" mtl-workbench
  exec "$build/app/mtl-workbench/mtl-workbench" "$here/experiments/quickstart.yaml" "$@"
else
  "$here/scripts/build.sh" mtlw
  exec "$build/app/mtlw/mtlw" run "$here/experiments/quickstart.yaml" "$@"
fi
