"""The synthetic replication's tables and figures from its finished runs (scripts/replicate_synthetic.sh).
Reads "name<TAB>folder" lines (from `mtlw runs list --status finished --format tsv`) on stdin; prints Markdown tables
(mean ± sample standard deviation over seeds; each method against supervised paired by seed; the
detection pseudo-boxes' count and precision over the steps) and, with a figures folder, writes
replication-curve.svg (the label-efficiency curve), replication-pseudo.svg (pseudo-label quality
over steps) and replication-pseudo-boxes.svg (detection pseudo-boxes per image over steps). Each run counts with its best validation by geometric mean (best.json, the paper's
selection rule) and, in the "last" columns, its last validation (results.json).
Differences paired by seed come with 95 % confidence intervals (Student t); a method whose
-oracle variant ran (train.pseudo_source: oracle) is also compared with the curve's supervised run of
ORACLE_REFERENCE labels, seed by seed.
  replication_report.py STAGES CURVE_LABELS LABELS METHODS [FIGURES_DIR [ORACLE_REFERENCE]]"""
import csv
import json
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from svg_plot import line_plot  # noqa: E402

NAMES = {"supervised": "Supervised", "supervised-noflip": "Supervised [no flip]", "fixmatch": "FixMatch*", "densefixmatch": "Dense FixMatch", "meanteacher": "Mean Teacher",
         "fixmatch-negatives": "FixMatch* + negatives", "densefixmatch-negatives": "Dense FixMatch + negatives"}
for _base in ("fixmatch", "densefixmatch", "meanteacher"):
    NAMES[_base + "-oracle"] = NAMES[_base] + " [oracle]"
    NAMES[_base + "-lambda0"] = NAMES[_base] + " [λ max 0]"
    NAMES[_base + "-oracle-negatives"] = NAMES[_base] + " [oracle] + negatives"
SHORT_NAMES = {"fixmatch-negatives": "FixMatch* +neg", "densefixmatch-negatives": "DFM +neg",
               "densefixmatch-oracle": "DFM oracle", "densefixmatch-lambda0": "DFM λ0"}  # figure legends


def t_cdf(t, dof):
    """Student t's distribution function, by Simpson's rule over its density from 0 (|t| ≤ 100)."""
    c = math.exp(math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2)) / math.sqrt(dof * math.pi)
    density = lambda x: c * (1 + x * x / dof) ** (-(dof + 1) / 2)
    n, x = 2000, min(abs(t), 100.0)
    h = x / n
    area = density(0) + density(x) + sum((4 if i % 2 else 2) * density(i * h) for i in range(1, n))
    return 0.5 + math.copysign(area * h / 3, t)


def t_quantile(p, dof):
    lo, hi = 0.0, 100.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, dof) < p else (lo, mid)
    return (lo + hi) / 2


def t_interval(values):
    """Mean and its 95 % confidence interval (Student t over the n values): "+0.0120 [-0.0100, +0.0340]",
    with "gain"/"loss" where the interval excludes 0."""
    if len(values) < 2:
        return fmt(values, signed=True)
    m = statistics.mean(values)
    half = t_quantile(0.975, len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    call = " gain" if m - half > 0 else " loss" if m + half < 0 else ""
    return f"{m:+.4f} [{m - half:+.4f}, {m + half:+.4f}]{call}"


def tag(labels):
    return labels.replace("/", "of")


def fraction(labels):
    if labels == "all":
        return 1.0
    a, b = labels.split("/")
    return float(a) / float(b)


def fmt(values, signed=False):
    if not values:
        return "-"
    sign = "+" if signed else ""
    if len(values) < 2:
        return f"{values[0]:{sign}.4f}"
    return f"{statistics.mean(values):{sign}.4f} ± {statistics.stdev(values):.4f}"


def read_json(folder, name):
    path = os.path.join(folder, name)
    return json.load(open(path)) if os.path.exists(path) else None


def metrics(folder, keys):
    """{key: [(step, value)]} of metrics.csv."""
    out = {k: [] for k in keys}
    with open(os.path.join(folder, "metrics.csv")) as f:
        for row in csv.DictReader(f):
            if row["key"] in out:
                out[row["key"]].append((int(row["step"]), float(row["value"])))
    return out


def main():
    stages, curve_labels, labels, methods = sys.argv[1].split(), sys.argv[2].split(), sys.argv[3], sys.argv[4].split()
    figures = sys.argv[5] if len(sys.argv) > 5 else ""
    oracle_reference = sys.argv[6] if len(sys.argv) > 6 else "1/2"
    runs = {}  # group name (without -seedN) -> [folder]
    seeds = {}  # group name -> {seed: folder}
    for line in sys.stdin:
        name, folder = line.rstrip("\n").split("\t")
        group, _, seed = name.rpartition("-seed")
        runs.setdefault(group, []).append(folder)
        seeds.setdefault(group, {})[seed] = folder

    def results(group, which):
        return [r for r in (read_json(f, which) for f in runs.get(group, [])) if r]

    def row(first, group):
        best, last = results(group, "best.json"), results(group, "results.json")
        cols = [[r[k] for r in best if r.get(k) is not None] for k in ("mIoU", "mAP", "geometric_mean")]
        cols.append([r["geometric_mean"] for r in last if r.get("geometric_mean") is not None])
        return f"| {first} | {len(best)} | " + " | ".join(fmt(c) for c in cols) + " |"

    header = "| {} | Seeds | mIoU | mAP | √(mIoU·mAP) | √(mIoU·mAP), last |\n|---|---|---|---|---|---|"
    replication_group = lambda m: f"synthetic-curve-{tag(labels)}" if m == "supervised" else f"synthetic-b{tag(labels)}-{m}"
    if "curve" in stages:
        print("Label-efficiency curve (supervised, both tasks labeled on the same images):\n")
        print(header.format("Labeled"))
        for l in curve_labels:
            print(row(l, f"synthetic-curve-{tag(l)}"))
        print()
    if "replication" in stages:
        print(f"Setting (b), {labels} labeled:\n")
        print(header.format("Method"))
        for m in methods:
            print(row(NAMES[m], replication_group(m)))
        print()
        # Seeds differ more from each other than methods may: compare each method with the
        # supervised run of the same seed (same initialisation, same labeled images) that sees the
        # same weak view: FixMatch*'s configs do not flip, so it is paired with supervised-noflip
        # when that ran.
        def baseline(m):
            return "supervised-noflip" if m.startswith("fixmatch") and "supervised-noflip" in methods else "supervised"
        print("Per seed (best validation by √(mIoU·mAP)), and each method minus supervised of the same seed and"
              " the same flip:\n")
        print("| Method | Seed | mIoU | mAP | √(mIoU·mAP) | Δ mIoU | Δ mAP | Δ √ |\n|---|---|---|---|---|---|---|---|")
        deltas = {}
        for m in methods:
            base = seeds.get(replication_group(baseline(m)), {})
            for seed, folder in sorted(seeds.get(replication_group(m), {}).items()):
                r = read_json(folder, "best.json")
                if not r:
                    continue
                b = read_json(base[seed], "best.json") if seed in base else None
                keys = ("mIoU", "mAP", "geometric_mean")
                d = [r[k] - b[k] for k in keys] if b and not m.startswith("supervised") else None
                if d:
                    deltas.setdefault(m, []).append(d)
                cells = [f"{r[k]:.4f}" for k in keys] + ([f"{x:+.4f}" for x in d] if d else ["", "", ""])
                print(f"| {NAMES[m]} | {seed} | " + " | ".join(cells) + " |")
        print()
        if deltas:
            print("Each method minus supervised, paired by seed: mean difference and its 95 % confidence interval"
                  " (Student t); a gain or a loss only where the interval excludes 0:\n")
            print("| Method | against | Seeds | Δ mIoU | Δ mAP | Δ √(mIoU·mAP) |\n|---|---|---|---|---|---|")
            for m, ds in deltas.items():
                print(f"| {NAMES[m]} | {NAMES[baseline(m)]} | {len(ds)} | " +
                      " | ".join(t_interval([d[i] for d in ds]) for i in range(3)) + " |")
            print()
        reference = seeds.get(f"synthetic-curve-{tag(oracle_reference)}", {})
        oracles = [m for m in methods if "-oracle" in m]
        if oracles:
            # The oracle is the upper bound of what Lu can teach: with the hidden labels as targets
            # it should reach supervised training with those labels shown.
            print(f"Oracle minus supervised with {oracle_reference} labeled, paired by seed (95 % intervals):\n")
            print("| Method | Seeds | Δ mIoU | Δ mAP | Δ √(mIoU·mAP) |\n|---|---|---|---|---|")
            keys = ("mIoU", "mAP", "geometric_mean")
            for m in oracles:
                ds = []
                for seed, folder in sorted(seeds.get(replication_group(m), {}).items()):
                    r = read_json(folder, "best.json")
                    b = read_json(reference[seed], "best.json") if seed in reference else None
                    if r and b:
                        ds.append([r[k] - b[k] for k in keys])
                print(f"| {NAMES[m]} | {len(ds)} | " + " | ".join(t_interval([d[i] for d in ds]) for i in range(3)) + " |")
            print()
        print("Pseudo-label quality against the hidden labels (mean over seeds of each run's last 300 steps):\n")
        print("| Method | Seeds | pseudo/seg_mIoU | pseudo/det_precision | pseudo/det_recall | pseudo/student_seg_mIoU |"
              "\n|---|---|---|---|---|---|")
        for m in methods:
            if m.startswith("supervised"):
                continue
            keys = ("pseudo/seg_mIoU", "pseudo/det_precision", "pseudo/det_recall", "pseudo/student_seg_mIoU")
            per_run = [metrics(f, keys + ("pseudo/det_boxes_per_image",)) for f in runs.get(replication_group(m), [])]
            cols = []
            for k in keys:
                vals = []
                for series in per_run:
                    boxes = dict(series["pseudo/det_boxes_per_image"])
                    if series[k]:
                        end = series[k][-1][0]
                        # precision of no boxes is logged as 1: left out, as in the table below
                        tail = [v for s, v in series[k]
                                if s > end - 300 and (k != "pseudo/det_precision" or boxes.get(s, 0) > 0)]
                        if tail:
                            vals.append(statistics.mean(tail))
                cols.append(fmt(vals))
            print(f"| {NAMES[m]} | {len(per_run)} | " + " | ".join(cols) + " |")
        print()
        # The detection pseudo-labels' count and precision over the steps: whether they run away.
        keys = ("pseudo/det_boxes_per_image", "pseudo/det_precision")
        table = {}  # (method, key) -> {step: [value per seed]}
        for m in methods:
            for f in runs.get(replication_group(m), []) if not m.startswith("supervised") else []:
                series = metrics(f, keys)
                boxes = dict(series[keys[0]])
                for k in keys:
                    for s, v in series[k]:
                        if k == keys[0] or boxes.get(s, 0) > 0:  # precision of no boxes is logged as 1
                            table.setdefault((m, k), {}).setdefault(s, []).append(v)
        steps = sorted({s for per_step in table.values() for s in per_step})
        if steps:
            # About eight columns at a round interval of the logging period (10 steps).
            interval = -(-steps[-1] // 80) * 10
            shown = [s for s in steps if s % interval == 0]
            print("Detection pseudo-labels over the steps (mean over seeds): boxes per image, their precision"
                  " (over the seeds with boxes at that step; - where none has any):\n")
            print("| Method | | " + " | ".join(str(s) for s in shown) + " |\n|---|---|" + "---|" * len(shown))
            for (m, k), per_step in table.items():
                cells = [f"{statistics.mean(per_step[s]):.2f}" if s in per_step else "-" for s in shown]
                print(f"| {NAMES[m]} | {k.split('/', 1)[1]} | " + " | ".join(cells) + " |")
            print()

    if not figures:
        return
    os.makedirs(figures, exist_ok=True)
    if "curve" in stages:
        series, bands = [], {}
        for key, title in (("mIoU", "mIoU"), ("mAP", "mAP")):
            pts, band = [], []
            for l in curve_labels:
                vals = [r[key] for r in results(f"synthetic-curve-{tag(l)}", "best.json")]
                if vals:
                    m = statistics.mean(vals)
                    s = statistics.stdev(vals) if len(vals) > 1 else 0.0
                    pts.append((fraction(l), m))
                    band.append((fraction(l), m - s, m + s))
            series.append((title, pts))
            bands[title] = band
        line_plot(os.path.join(figures, "replication-curve.svg"), series,
                  "Supervised multi-task: validation vs labeled share (mean ± std over seeds)",
                  "share of the training images labeled for both tasks", "best validation",
                  log2x=True, xticklabels={fraction(l): l for l in curve_labels}, bands=bands)
    if "replication" in stages:
        def quality_series(chosen):
            series = []
            for m in chosen:
                for key, what in (("pseudo/seg_mIoU", "seg mIoU"), ("pseudo/det_precision", "det precision"),
                                  ("pseudo/det_recall", "det recall")):
                    per_step = table.get((m, key)) if key in keys else None  # precision: already filtered
                    if per_step is None:
                        per_step = {}
                        for f in runs.get(replication_group(m), []):
                            for s, v in metrics(f, (key,))[key]:
                                per_step.setdefault(s, []).append(v)
                    pts = sorted((s, statistics.mean(v)) for s, v in per_step.items())
                    if pts:
                        series.append((f"{SHORT_NAMES.get(m, NAMES[m])} {what}", pts))
            return series

        # The paper's methods in one figure, the -negatives variants in another: twelve lines are
        # more than one figure's colours tell apart.
        semi = [m for m in methods if not m.startswith("supervised")]
        for chosen, file in (([m for m in semi if not m.endswith("-negatives")], "replication-pseudo.svg"),
                             ([m for m in semi if m.endswith("-negatives")], "replication-pseudo-negatives.svg")):
            series = quality_series(chosen)
            if series:
                line_plot(os.path.join(figures, file), series,
                          f"Pseudo-labels against the hidden labels, setting (b) {labels} (mean over seeds)",
                          "step", "quality")
        series = []
        for (m, k), per_step in table.items():
            if k == "pseudo/det_boxes_per_image":
                series.append((NAMES[m], sorted((s, statistics.mean(v)) for s, v in per_step.items())))
        line_plot(os.path.join(figures, "replication-pseudo-boxes.svg"), series,
                  f"Detection pseudo-boxes per unlabeled image, setting (b) {labels} (mean over seeds)",
                  "step", "boxes per image")


if __name__ == "__main__":
    main()
