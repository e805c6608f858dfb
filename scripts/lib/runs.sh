# Sourced by the experiment scripts: runs that survive interruption. Needs $mtlw and $out set.
#   run_once NAME CONFIG [MTLW_RUN_ARGS...]
# A run whose folder has results.json is done and skipped; an interrupted (or failed) run of that
# name is resumed from its last checkpoint; otherwise CONFIG is run under NAME. Runs go to
# $out/registry.sqlite and $out/runs/, niced by $NICE (5).
run_once() {
  local name=$1 config=$2; shift 2
  if compgen -G "$out/runs/*-$name/results.json" > /dev/null; then
    echo "== $name: done already"; return 0
  fi
  local id=""
  if [ -f "$out/registry.sqlite" ]; then
    id=$({ "$mtlw" runs list --registry "$out/registry.sqlite" --status interrupted
           "$mtlw" runs list --registry "$out/registry.sqlite" --status failed; } |
         awk -v n="$name" '$3 == n {print $1; exit}')
  fi
  if [ -n "$id" ]; then
    echo "== $name: resuming run $id"
    nice -n "${NICE:-5}" "$mtlw" run --resume "$id" --registry "$out/registry.sqlite"
  else
    echo "== $name"
    nice -n "${NICE:-5}" "$mtlw" run "$config" --registry "$out/registry.sqlite" --runs-dir "$out/runs" "$@"
  fi
}

# Seconds per training step of a finished run, from its metrics.csv (train/loss rows' wall times).
seconds_per_step() {
  awk -F, '$2 == "train/loss" {if (!s) {s = $1; t = $4} e = $1; u = $4} END {if (e > s) printf "%.3f", (u - t) / (e - s)}' \
    "$1/metrics.csv"
}
