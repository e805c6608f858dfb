#!/usr/bin/env bash
# The synthetic replication of docs/RESULTS.md: Cityscapes setting (b) in miniature (200 synthetic
# training images, 25 labeled for both tasks), supervised vs FixMatch* vs Dense FixMatch with
# explicit sampling, 3 seeds each, run one after another (re-running skips finished runs and
# resumes interrupted ones); then the table of mIoU, mAP and their
# geometric mean (mean ± sample standard deviation over the seeds) from each run's results.json,
# and the example tables of docs/tables/ (`mtlw table` over the same runs: the summary grid and the
# per-class tables, as Markdown, LaTeX and CSV).
#   scripts/replicate_synthetic.sh [OUT_DIR]      (default: replication/ in the working directory)
# Environment: MTLW (the mtlw binary; default build/app/mtlw/mtlw), SEEDS ("0 1 2"),
# METHODS ("supervised fixmatch densefixmatch"), STEPS (override train.steps), NICE (5),
# TABLES_DIR (docs/tables of this checkout; empty: no tables).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-replication}")
mtlw=${MTLW:-$here/build/app/mtlw/mtlw}
seeds=${SEEDS:-0 1 2}
methods=${METHODS:-supervised fixmatch densefixmatch}
mkdir -p "$out/configs"
. "$here/scripts/lib/runs.sh"
for seed in $seeds; do
  for method in $methods; do
    name="synthetic-b-$method-seed$seed"
    config="$out/configs/$name.yaml"
    sed -e "s/^name: .*/name: $name/" -e "s/^seed: .*/seed: $seed/" \
        "$here/experiments/synthetic/synthetic-b-$method.yaml" > "$config"
    if [ -n "${STEPS:-}" ]; then sed -i "s/^  steps: .*/  steps: $STEPS/" "$config"; fi
    run_once "$name" "$config"
  done
done
tables=${TABLES_DIR-$here/docs/tables}
if [ -n "$tables" ]; then
  mkdir -p "$tables"
  # One run per table cell, as in the paper's tables: the first seed's runs.
  first=${seeds%% *}
  ids=$("$mtlw" runs list --registry "$out/registry.sqlite" --status finished |
        awk -v s="-seed$first" 'NR > 1 && substr($3, length($3) - length(s) + 1) == s {print $1}' | sort -n | tr '\n' ' ')
  for format in md latex csv; do
    ext=$format; [ "$format" = latex ] && ext=tex
    "$mtlw" table $ids --registry "$out/registry.sqlite" --grid --format "$format" > "$tables/grid.$ext"
    "$mtlw" table $ids --registry "$out/registry.sqlite" --task seg --format "$format" > "$tables/per_class_seg.$ext"
    "$mtlw" table $ids --registry "$out/registry.sqlite" --task det --format "$format" > "$tables/per_class_det.$ext"
  done
  echo "tables written to $tables" >&2
fi
python3 - "$out" $methods <<'PY'
import glob, json, math, statistics, sys
out, methods = sys.argv[1], sys.argv[2:]
names = {"supervised": "Supervised", "fixmatch": "FixMatch*", "densefixmatch": "Dense FixMatch"}
def fmt(values):
    if len(values) < 2: return f"{values[0]:.4f}" if values else "-"
    return f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}"
print("| Method | Sampling | Seeds | mIoU | mAP | √(mIoU·mAP) |")
print("|---|---|---|---|---|---|")
for m in methods:
    rows = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/runs/*-synthetic-b-{m}-seed*/results.json"))]
    cols = [[r[k] for r in rows] for k in ("mIoU", "mAP", "geometric_mean")]
    sampling = "implicit (labeled only)" if m == "supervised" else "explicit 4 + 4"
    print(f"| {names[m]} | {sampling} | {len(rows)} | " + " | ".join(fmt(c) for c in cols) + " |")
PY
