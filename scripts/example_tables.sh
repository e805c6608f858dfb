#!/usr/bin/env bash
# Makes the example tables in docs/tables/ from a few quick-start-sized runs on the embedded
# synthetic data set (ResNet-18 at 1/4 width, 256x128, STEPS steps each (200 by default), validated every STEPS/3
# steps, best.pt by geometric mean): supervised multi-task runs in setting (a) with 25 and 100
# segmentation labels (implicit and explicit sampling) and the single-task baselines on 25
# labels (setting (b)). The numbers show the shapes of the paper's tables, not its results.
# Usage: scripts/example_tables.sh [BUILD_DIR] (default build/); STEPS=200 by default.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build}
mtlw="$build/app/mtlw/mtlw"
steps=${STEPS:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$here/docs/tables"
mkdir -p "$out"

# run NAME TASKS SETTING DET SEG SAMPLING: the quick-start config with these keys changed.
run() {
  local cfg="$work/$1.yaml"
  python3 - "$here/experiments/quickstart.yaml" "$cfg" "$steps" "$@" <<'EOF'
import sys
src, dst, steps, name, tasks, setting, det, seg, sampling = sys.argv[1:]
text = open(src).read()
steps = int(steps)
for old, new in [("name: quickstart", "name: " + name),
                 ("  steps: 1500", "  steps: %d" % steps),
                 ("  every: 500", "  every: %d" % (steps // 3)),
                 ("  tasks: multi", "  tasks: " + tasks),
                 ("data:\n", "data:\n  split: {setting: %s, det: \"%s\", seg: \"%s\", seed: 0}\n" % (setting, det, seg)),
                 # Explicit: images labeled for both tasks make the labeled half of each batch.
                 ("train:\n", "train:\n  sampling: %s\n  labeled_for: both\n" % sampling)]:
    assert old in text, old
    text = text.replace(old, new, 1)
open(dst, "w").write(text)
EOF
  nice -n 5 "$mtlw" run "$cfg" --registry "$work/registry.sqlite" --runs-dir "$work/runs" --quiet > /dev/null
}

run sup-a-25 multi a all 25 implicit
run sup-a-25-explicit multi a all 25 explicit
run sup-a-100 multi a all 100 implicit
run seg-only-25 seg b 25 25 implicit
run det-only-25 det b 25 25 implicit

ids=$(seq 1 5)
for format in md latex csv; do
  ext=$format; [ "$format" = latex ] && ext=tex
  "$mtlw" table $ids --registry "$work/registry.sqlite" --grid --format "$format" > "$out/grid.$ext"
  "$mtlw" table 1 2 3 4 --registry "$work/registry.sqlite" --task seg --format "$format" > "$out/per_class_seg.$ext"
  "$mtlw" table 1 2 3 5 --registry "$work/registry.sqlite" --task det --format "$format" > "$out/per_class_det.$ext"
done
echo "tables written to $out"
