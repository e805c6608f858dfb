#!/usr/bin/env bash
# train.student_views all against used on the synthetic replication's setting: Dense FixMatch,
# synthetic setting (b), explicit sampling 4 + 4, Lu on unlabeled samples, 3 seeds each; then a
# table of mIoU, mAP, their geometric mean (mean ± sample standard deviation over the seeds) and
# seconds per step. Resumable: re-running skips finished runs and resumes interrupted ones.
#   scripts/compare_student_views.sh [OUT_DIR]    (default: student-views/ in the working directory)
# Environment: MTLW (default build/app/mtlw/mtlw), SEEDS ("0 1 2"), STEPS (override train.steps),
# NICE (5), METHOD (densefixmatch).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-student-views}")
mtlw=${MTLW:-$here/build/app/mtlw/mtlw}
seeds=${SEEDS:-0 1 2}
method=${METHOD:-densefixmatch}
. "$here/scripts/lib/runs.sh"
mkdir -p "$out/configs"
for seed in $seeds; do
  for views in all used; do
    name="synthetic-b-$method-views-$views-seed$seed"
    config="$out/configs/$name.yaml"
    sed -e "s/^name: .*/name: $name/" -e "s/^seed: .*/seed: $seed/" \
        "$here/experiments/synthetic/synthetic-b-$method.yaml" > "$config"
    if [ -n "${STEPS:-}" ]; then sed -i "s/^  steps: .*/  steps: $STEPS/" "$config"; fi
    run_once "$name" "$config" --quiet --set "train.student_views=$views"
  done
done
echo "| student_views | Seeds | mIoU | mAP | √(mIoU·mAP) | s/step |"
echo "|---|---|---|---|---|---|"
for views in all used; do
  rows=()
  for dir in "$out"/runs/*-synthetic-b-$method-views-$views-seed*; do
    [ -f "$dir/results.json" ] && rows+=("$dir")
  done
  for dir in "${rows[@]}"; do echo "$dir $(seconds_per_step "$dir")"; done |
  python3 -c '
import json, statistics, sys
views = sys.argv[1]
cols = {"mIoU": [], "mAP": [], "geometric_mean": [], "s": []}
for line in sys.stdin:
    d, s = line.split()
    r = json.load(open(d + "/results.json"))
    for k in ("mIoU", "mAP", "geometric_mean"): cols[k].append(r[k])
    cols["s"].append(float(s))
def fmt(v, p=4):
    if not v: return "-"
    return f"{statistics.mean(v):.{p}f}" + (f" ± {statistics.stdev(v):.{p}f}" if len(v) > 1 else "")
cells = [views, str(len(cols["s"]))] + [fmt(cols[k]) for k in ("mIoU", "mAP", "geometric_mean")] + [fmt(cols["s"], 3)]
print("| " + " | ".join(cells) + " |")
' "$views"
done
