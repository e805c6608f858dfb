#!/usr/bin/env bash
# The synthetic replication of docs/RESULTS.md, in stages (STAGES, default "curve replication"):
#   curve        supervised multi-task runs with CURVE_LABELS ("1/32 1/16 1/8 1/4 1/2 all") of the
#                1000 training scenes labeled for both tasks, one step budget: where labels are scarce
#   replication  setting (b) with LABELS (default 1/16) images labeled for both tasks: supervised vs
#                FixMatch* vs Dense FixMatch with explicit sampling, then both methods again with
#                negatives in the detection Lu (train.pseudo_box_negatives, not the paper's) (METHODS);
#                its supervised run is the curve's run of that label count
# each with every seed of SEEDS ("0 1 2"), one run after another. Re-running skips finished runs and
# resumes interrupted ones (scripts/lib/runs.sh), so the script can be stopped and continued later.
# Then the tables of mIoU, mAP and their geometric mean (mean ± sample standard deviation over the
# seeds; each run's best validation by geometric mean, the paper's selection rule, and its last),
# each method against supervised paired by seed, the pseudo-labels' quality against the hidden labels,
# the figures docs/replication-curve.svg, docs/replication-pseudo.svg and
# docs/replication-pseudo-boxes.svg (scripts/lib/replication_report.py), and the example tables of
# docs/tables/ (`mtlw table` over the replication's first seed: the summary grid and the per-class
# tables as Markdown, LaTeX and CSV).
#   scripts/replicate_synthetic.sh [OUT_DIR] [--smoke]   (default OUT_DIR: replication/ here)
# --smoke: 60 steps and seed 0 only, to check the whole chain in minutes; its numbers mean nothing.
# Environment: MTLW (the mtlw binary; default build/app/mtlw/mtlw), SEEDS, STAGES, CURVE_LABELS,
# LABELS, METHODS ("supervised fixmatch densefixmatch fixmatch-negatives densefixmatch-negatives"; the
# -negatives ones add train.pseudo_box_negatives; meanteacher, not among the default ones, runs
# experiments/synthetic/synthetic-b-meanteacher.yaml; the controls of docs/RESULTS.md are variants
# too: METHOD-oracle trains Lu on the hidden labels, train.pseudo_source: oracle, the upper bound of
# what Lu can teach, which the report compares with the curve's supervised run of ORACLE_REFERENCE
# labels (1/2); supervised-noflip is the supervised baseline on unflipped weak views, FixMatch*'s
# (the report pairs FixMatch* with it when it ran); METHOD-oracle-negatives adds train.pseudo_box_negatives to the oracle (complete boxes
# make every unmatched anchor background, as a labeled image's); METHOD-lambda0 sets
# train.unsup_weight: 0, every part of the step but Lu's gradient, which should equal supervised),
# STEPS (override train.steps), NICE (5),
# TABLES_DIR (docs/tables of this checkout; empty: no tables), FIGURES_DIR (docs of this checkout;
# empty: no figures).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
smoke=0
args=()
for a in "$@"; do
  if [ "$a" = --smoke ]; then smoke=1; else args+=("$a"); fi
done
out=$(realpath -m "${args[0]:-replication}")
mtlw=${MTLW:-$here/build/app/mtlw/mtlw}
seeds=${SEEDS:-0 1 2}
stages=${STAGES:-curve replication}
curve_labels=${CURVE_LABELS:-1/32 1/16 1/8 1/4 1/2 all}
labels=${LABELS:-1/16}
methods=${METHODS:-supervised fixmatch densefixmatch fixmatch-negatives densefixmatch-negatives}
steps=${STEPS:-}
if [ "$smoke" = 1 ]; then seeds=0; steps=${STEPS:-60}; fi
. "$here/scripts/lib/runs.sh"
mkdir -p "$out/configs"

tag() { echo "${1//\//of}"; } # 1/16 -> 1of16: a name part
# The replication's supervised run is the curve's run of that label count and seed: the same
# config, so it is trained once and serves both.
replication_name() {
  if [ "$1" = supervised ]; then echo "synthetic-curve-$(tag "$labels")-seed$2"
  else echo "synthetic-b$(tag "$labels")-$1-seed$2"; fi
}

# config METHOD NAME SEED LABELS: the synthetic (b) config of METHOD with those changes, its path.
# METHOD may name a variant after a dash: fixmatch-negatives and densefixmatch-negatives add
# train.pseudo_box_negatives: true (not the paper's; docs/RESULTS.md says why they were tried).
config() {
  local file="$out/configs/$2.yaml" base=${1%%-*} variant=${1#*-}
  [ "$variant" = "$1" ] && variant=""
  sed -e "s/^name: .*/name: $2/" -e "s/^seed: .*/seed: $3/" \
      -e "s|^    det: .*|    det: \"$4\"|" -e "s|^    seg: .*|    seg: \"$4\"|" \
      "$here/experiments/synthetic/synthetic-b-$base.yaml" > "$file"
  if [ -n "$steps" ]; then sed -i "s/^  steps: .*/  steps: $steps/" "$file"; fi
  case $variant in
    negatives) sed -i 's/^  pseudo_score_threshold: .*/&\n  pseudo_box_negatives: true/' "$file" ;;
    noflip) sed -i 's/^  flip: .*/  flip: false/' "$file" ;;
    oracle) sed -i 's/^  method: .*/&\n  pseudo_source: oracle/' "$file" ;;
    lambda0) sed -i 's/^  method: .*/&\n  unsup_weight: 0/' "$file" ;;
    oracle-negatives) sed -i -e 's/^  method: .*/&\n  pseudo_source: oracle/' \
                             -e 's/^  pseudo_score_threshold: .*/&\n  pseudo_box_negatives: true/' "$file" ;;
  esac
  echo "$file"
}

for method in $methods; do # before any run: a config substitution's failure would not stop the script
  case $method in
    supervised|fixmatch|densefixmatch|meanteacher|supervised-noflip) ;;
    fixmatch-negatives|densefixmatch-negatives|fixmatch-oracle-negatives|densefixmatch-oracle-negatives) ;;
    fixmatch-oracle|densefixmatch-oracle|meanteacher-oracle|fixmatch-lambda0|densefixmatch-lambda0|meanteacher-lambda0) ;;
    *) echo "replicate_synthetic.sh: unknown method '$method' (supervised, fixmatch, densefixmatch," \
            "meanteacher; fixmatch or densefixmatch with -negatives or -oracle-negatives; any of the three" \
            "with -oracle or -lambda0)" >&2
       exit 2 ;;
  esac
  if [[ $method == *-negatives ]] &&
     ! grep -q '^  pseudo_score_threshold:' "$here/experiments/synthetic/synthetic-b-${method%%-*}.yaml"; then
    echo "replicate_synthetic.sh: synthetic-b-${method%%-*}.yaml has no train.pseudo_score_threshold" \
         "for pseudo_box_negatives to follow" >&2; exit 2
  fi
done

for stage in $stages; do
  case $stage in
    curve)
      for seed in $seeds; do
        for l in $curve_labels; do
          name="synthetic-curve-$(tag "$l")-seed$seed"
          run_once "$name" "$(config supervised "$name" "$seed" "$l")" --quiet
        done
      done ;;
    replication)
      for seed in $seeds; do
        for method in $methods; do
          name=$(replication_name "$method" "$seed")
          run_once "$name" "$(config "$method" "$name" "$seed" "$labels")" --quiet
        done
      done ;;
    *) echo "replicate_synthetic.sh: unknown stage '$stage' (curve, replication)" >&2; exit 2 ;;
  esac
done

tables=${TABLES_DIR-$here/docs/tables}
if [ -n "$tables" ] && [[ " $stages " == *" replication "* ]] && [ "$smoke" = 0 ]; then
  mkdir -p "$tables"
  # One run per table cell, as in the paper's tables: the replication's first seed, the paper's
  # methods (a -negatives variant would fill its method's cell again).
  first=${seeds%% *}
  names=""
  for method in $methods; do
    [[ $method == *-negatives ]] || names="$names $(replication_name "$method" "$first")"
  done
  ids=$("$mtlw" runs list --registry "$out/registry.sqlite" --status finished --format tsv |
        awk -F'\t' -v names="$names" 'BEGIN {n = split(names, a, " "); for (i = 1; i <= n; ++i) want[a[i]] = 1}
                                       NR > 1 && ($3 in want) {print $1}' | sort -n | tr '\n' ' ')
  for format in md latex csv; do
    ext=$format; [ "$format" = latex ] && ext=tex
    "$mtlw" table $ids --registry "$out/registry.sqlite" --grid --format "$format" > "$tables/grid.$ext"
    "$mtlw" table $ids --registry "$out/registry.sqlite" --task seg --format "$format" > "$tables/per_class_seg.$ext"
    "$mtlw" table $ids --registry "$out/registry.sqlite" --task det --format "$format" > "$tables/per_class_det.$ext"
  done
  echo "tables written to $tables" >&2
fi
figures=${FIGURES_DIR-$here/docs}
[ "$smoke" = 1 ] && figures=""
"$mtlw" runs list --registry "$out/registry.sqlite" --status finished --format tsv | awk -F'\t' 'NR > 1 {print $3 "\t" $6}' |
  python3 "$here/scripts/lib/replication_report.py" "$stages" "$curve_labels" "$labels" "$methods" "$figures" \
    "${ORACLE_REFERENCE:-1/2}"
