# Sourced by the experiment scripts: runs that survive interruption. Needs $mtlw and $out set.
#   run_once NAME CONFIG [MTLW_RUN_ARGS...]
# A run the registry has as finished is skipped; an interrupted (or failed) run of that name is
# resumed from its last checkpoint (MTLW_RUN_ARGS are for new runs only: a resumed run keeps its
# config); otherwise CONFIG is run under NAME. Runs go to
# $out/registry.sqlite and $out/runs/, niced by $NICE (5).
run_once() {
  local name=$1 config=$2; shift 2
  local registry="$out/registry.sqlite" id=""
  if [ -f "$registry" ]; then
    # An interrupted run also leaves results.json (its last validation): the registry's status decides.
    # Tab-separated fields (id, status, name, ...): names with spaces, as sweeps make, stay whole.
    if "$mtlw" runs list --registry "$registry" --status finished --format tsv |
         awk -F'\t' -v n="$name" 'NR > 1 && $3 == n {f = 1} END {exit !f}'; then
      echo "== $name: done already"; return 0
    fi
    id=$({ "$mtlw" runs list --registry "$registry" --status interrupted --format tsv
           "$mtlw" runs list --registry "$registry" --status failed --format tsv; } |
         awk -F'\t' -v n="$name" '$1 != "id" && $3 == n {print $1; exit}')
  fi
  if [ -n "$id" ]; then
    echo "== $name: resuming run $id"
    nice -n "${NICE:-5}" "$mtlw" run --resume "$id" --registry "$registry"
  else
    echo "== $name"
    nice -n "${NICE:-5}" "$mtlw" run "$config" --registry "$registry" --runs-dir "$out/runs" "$@"
  fi
}

# Seconds per training step of a run: the median over its logging periods (train/loss rows of
# metrics.csv), so that a pause between an interruption and its resumption does not count.
seconds_per_step() {
  awk -F, '$2 == "train/loss" {if (n++) print ($4 - t) / ($1 - s); s = $1; t = $4}' "$1/metrics.csv" |
    sort -g | awk '{v[NR] = $1} END {if (NR) printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
