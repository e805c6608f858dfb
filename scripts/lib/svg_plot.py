"""A line plot as a small standalone SVG, with no dependency beyond Python's standard library (the
machines have no matplotlib): for the replication's figures in docs/. Used by
scripts/replicate_synthetic.sh."""
import math
from xml.sax.saxutils import escape

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]


def nice_ticks(lo, hi, count=5):
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * step:
            step *= m
            break
    ticks = [round(math.floor(lo / step) * step, 10)]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_plot(path, series, title, xlabel, ylabel, log2x=False, xticklabels=None, bands=None):
    """series: [(name, [(x, y), ...])]; bands: {name: [(x, lo, hi), ...]} drawn as shaded areas
    (mean ± std over seeds). xticklabels: {x: label} replaces the numeric x ticks."""
    width, height, left, right, top, bottom = 780, 420, 70, 240, 40, 60
    pw, ph = width - left - right, height - top - bottom
    fx = (lambda x: math.log2(x)) if log2x else (lambda x: x)
    xs = [fx(x) for _, pts in series for x, _ in pts] + [fx(x) for x in (xticklabels or {})]
    ys = [y for _, pts in series for _, y in pts]
    for pts in (bands or {}).values():
        ys += [lo for _, lo, _ in pts] + [hi for _, _, hi in pts]
    if not xs:
        return
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x1 = x0 + 1
    yt = nice_ticks(min(0.0, min(ys)), max(ys) * 1.05)
    y0, y1 = yt[0], yt[-1]
    sx = lambda x: left + (fx(x) - x0) / (x1 - x0) * pw
    sy = lambda y: top + ph - (y - y0) / (y1 - y0) * ph
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>']
    for y in yt:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    xt = sorted(xticklabels) if xticklabels else [x for x in nice_ticks(x0, x1) if x0 <= x <= x1]
    for x in xt:
        px = sx(x) if xticklabels else left + (x - x0) / (x1 - x0) * pw
        label = xticklabels[x] if xticklabels else f"{x:g}"
        out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{top + ph}" y2="{top + ph + 4}" stroke="black"/>')
        out.append(f'<text x="{px:.1f}" y="{top + ph + 18}" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 16}" text-anchor="middle">{escape(xlabel)}</text>')
    out.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">{escape(ylabel)}</text>')
    for i, (name, pts) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        band = (bands or {}).get(name)
        if band and len(band) > 1:
            upper = " ".join(f"{sx(x):.1f},{sy(hi):.1f}" for x, _, hi in band)
            lower = " ".join(f"{sx(x):.1f},{sy(lo):.1f}" for x, lo, _ in reversed(band))
            out.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.15" stroke="none"/>')
        d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in pts:
            if len(pts) <= 30:  # markers only where they can be told apart
                out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>')
        ly = top + 14 + 18 * i
        out.append(f'<line x1="{left + pw + 12}" x2="{left + pw + 32}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + pw + 38}" y="{ly}">{escape(name)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
