#!/usr/bin/python3
"""The authors' Dense FixMatch code as referee (issue 35): runs their `match` (dataloading/transforms.py,
BatchTransformFixMatch) and `FixMatch.forward(dense=True)` (ssl_methods/fixmatch.py) of
miquelmarti/DenseFixMatch, with their pinned kornia 0.6.9, on fixed teacher and student logits and fixed
weak/strong parameters (crop, flip, shift of the strong crop, rotation, cutout), and writes what they give —
the pseudo-labels and the validity mask in the strong view, and the loss — to a small JSON fixture that
tests/tst_referee.cpp feeds to this project's warp and segmentation loss. CI runs the test, not this script.

  /usr/bin/python3 scripts/referee_densefixmatch.py --kornia KORNIA_SRC --densefixmatch DFM_SRC \\
      [--out tests/data/densefixmatch_referee.json]

Needs Debian's python3-torch (LibTorch 1.13.1, the project's) and python3-numpy, and the two source trees,
e.g. `git archive v0.6.9 kornia | tar -x -C KORNIA_SRC` in a kornia clone and `git archive HEAD | tar -x -C
DFM_SRC` in a DenseFixMatch clone. They are put on sys.path as they are; nothing of them is copied. Their
modules that only log (wandb, utils.logging) and torchvision's transforms, which the imported file names
but these functions do not use, are stood in for.

The parameters are written in this project's terms (AugmentParams.h: weak crop and flip; strong shift,
rotation, flip and cutout) and translated here into kornia's: the strong crop is the weak one shifted, the
rotation is RandomAffine's angle with the opposite sign (kornia rotates by -angle), the flip and the
erased rectangle act on the final strong frame. The fixture also holds kornia's view matrices, so that
the test first checks that both sides mean the same views."""
import argparse
import importlib.metadata
import json
import math
import os
import sys
import types

CANVAS = (48, 64)  # H, W of the images both views are cut from
VIEW = (32, 48)  # h, w of the weak and the strong view
CLASSES = 4
SAMPLES = [
    # Same crop for both views: the strong view is the weak one rotated, flipped and cut out.
    {"weak_crop": [8, 6], "weak_flip": False, "shift": [0, 0], "rotate": 12.0, "strong_flip": True,
     "cutout": [15, 10, 18, 12]},
    # The strong crop shifted against the weak one (the authors' overlapping crops) and rotated the
    # other way; the weak view flipped, the strong one not; no cutout.
    {"weak_crop": [10, 10], "weak_flip": True, "shift": [3, -2], "rotate": -8.0, "strong_flip": False,
     "cutout": None},
]
THRESHOLDS = [0.0, 0.5]  # the paper's (none) and the authors' Cityscapes configs'


def logit(b, c, y, x, phase):
    """The fixture's logits, computed in double and stored as float32 (tst_referee.cpp uses the same
    formula): smooth class regions with boundaries in every direction."""
    return 2.5 * math.sin(0.21 * x + 0.13 * (c + 1) * y + 1.7 * c + 0.9 * b + phase) + 0.3 * c


def logits(torch, phase):
    h, w = VIEW
    values = [[[[logit(b, c, y, x, phase) for x in range(w)] for y in range(h)] for c in range(CLASSES)]
              for b in range(len(SAMPLES))]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32)


def import_authors_code(kornia_dir, dfm_dir):
    sys.path[:0] = [kornia_dir, dfm_dir]
    version = importlib.metadata.version
    # kornia's __init__ asks the installed metadata for its version: a source tree has none.
    importlib.metadata.version = lambda name: "0.6.9" if name == "kornia" else version(name)
    wandb = types.ModuleType("wandb")
    wandb.run = None
    wandb.log = lambda *a, **k: None
    utils = types.ModuleType("utils")
    utils.__path__ = []
    logging = types.ModuleType("utils.logging")
    logging.log_fixmatch = lambda *a, **k: None
    torchvision = types.ModuleType("torchvision")
    torchvision.transforms = types.SimpleNamespace(RandomCrop=object)
    sys.modules.update({"wandb": wandb, "utils": utils, "utils.logging": logging, "torchvision": torchvision})
    import kornia
    from dataloading.transforms import BatchTransformFixMatch
    from ssl_methods.fixmatch import FixMatch
    assert kornia.__file__.startswith(os.path.abspath(kornia_dir)), kornia.__file__
    return BatchTransformFixMatch, FixMatch


def corners(x0, y0):
    h, w = VIEW
    return [[x0, y0], [x0 + w - 1, y0], [x0 + w - 1, y0 + h - 1], [x0, y0 + h - 1]]


def views(torch, K, DK):
    """The authors' weak and strong pipelines (transforms.py: crop, flip; crop, RandAugment, flip,
    cutout) with one RandomAffine as the RandAugment part, their parameters set to SAMPLES."""
    crop = lambda: K.RandomCrop(VIEW, pad_if_needed=True, fill=0, cropping_mode="resample")
    weak = K.AugmentationSequential(crop(), K.RandomHorizontalFlip(), data_keys=[DK.INPUT, DK.MASK])
    strong = K.AugmentationSequential(crop(), K.RandomAffine(degrees=0.0, p=1.0), K.RandomHorizontalFlip(),
                                      K.RandomErasing(p=1.0), data_keys=[DK.INPUT, DK.MASK])
    canvas = torch.rand(len(SAMPLES), 3, *CANVAS)
    pw = weak.forward_parameters(canvas.shape)
    pw[0].data["src"] = torch.tensor([corners(*s["weak_crop"]) for s in SAMPLES], dtype=torch.float32)
    pw[1].data["batch_prob"] = torch.tensor([s["weak_flip"] for s in SAMPLES])
    weak(canvas, params=pw, data_keys=[DK.INPUT])

    ps = strong.forward_parameters(canvas.shape)
    ps[0].data["src"] = torch.tensor(
        [corners(s["weak_crop"][0] + s["shift"][0], s["weak_crop"][1] + s["shift"][1]) for s in SAMPLES],
        dtype=torch.float32)
    affine = ps[1].data
    affine["angle"] = torch.tensor([-s["rotate"] for s in SAMPLES], dtype=torch.float32)
    affine["translations"] = torch.zeros_like(affine["translations"])
    affine["scale"] = torch.ones_like(affine["scale"])
    affine["sx"] = torch.zeros_like(affine["sx"])
    affine["sy"] = torch.zeros_like(affine["sy"])
    ps[2].data["batch_prob"] = torch.tensor([s["strong_flip"] for s in SAMPLES])
    erased = [i for i, s in enumerate(SAMPLES) if s["cutout"]]
    erasing = ps[3].data
    erasing["batch_prob"] = torch.tensor([bool(s["cutout"]) for s in SAMPLES])
    for key, column in (("xs", 0), ("ys", 1), ("widths", 2), ("heights", 3)):
        erasing[key] = torch.tensor([SAMPLES[i]["cutout"][column] for i in erased], dtype=erasing[key].dtype)
    erasing["values"] = erasing["values"][: len(erased)]
    strong(canvas, params=ps, data_keys=[DK.INPUT])
    return weak, strong


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kornia", required=True, help="kornia v0.6.9 source tree (holds kornia/)")
    parser.add_argument("--densefixmatch", required=True, help="miquelmarti/DenseFixMatch source tree")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                                                      "densefixmatch_referee.json"))
    args = parser.parse_args()
    BatchTransformFixMatch, FixMatch = import_authors_code(os.path.abspath(args.kornia),
                                                           os.path.abspath(args.densefixmatch))
    import torch
    import kornia.augmentation as K
    from kornia.constants import DataKey as DK

    torch.manual_seed(0)
    weak, strong = views(torch, K, DK)
    authors = types.SimpleNamespace(weak_transform=weak, transform=strong, data_keys=[DK.INPUT, DK.MASK])
    teacher, student = logits(torch, 0.0), logits(torch, 0.5)
    h, w = VIEW
    results = []
    for threshold in THRESHOLDS:
        matched = []

        class Module:  # what FixMatch.forward calls match on, recording what it returns
            @staticmethod
            def match(x, data_keys=None):
                out = BatchTransformFixMatch.match(authors, x, data_keys)
                matched.append(out)
                return out

        fixmatch = FixMatch(null_target=-1, confidence_threshold=threshold, dense=True, use_all=True)
        fixmatch.forward(None, {"semantic": teacher.clone()}, {"semantic": student.clone()},
                         {"semantic": -torch.ones(len(SAMPLES), 1, h, w)}, Module, 0.0, None)
        # (FixMatch.forward squeezes the class axis of the returned pseudo-labels in place.)
        pseudo = matched[0]["semantic"].reshape(len(SAMPLES), h, w).round().to(torch.int64)  # -1: no target
        valid = matched[1]["semantic"].reshape(len(SAMPLES), h, w) != -1  # inside both views, not erased
        results.append({
            "threshold": threshold,
            "loss": float(fixmatch.loss),
            "valid_pixels": int(valid.sum()),
            "target_pixels": int((pseudo != -1).sum()),
            # One string per row: the class digit, '.' for no target; valid likewise as 1 / 0.
            "pseudo_strong": [["".join("." if v < 0 else str(int(v)) for v in row) for row in p.tolist()]
                              for p in pseudo],
            "valid_strong": [["".join("1" if v else "0" for v in row) for row in m.tolist()] for m in valid],
        })
    fixture = {
        "about": "written by scripts/referee_densefixmatch.py from miquelmarti/DenseFixMatch (match, "
                 "FixMatch.forward dense=True) with kornia 0.6.9 and torch " + torch.__version__,
        "canvas": list(CANVAS), "view": list(VIEW), "classes": CLASSES,
        "logits": "2.5 sin(0.21 x + 0.13 (c + 1) y + 1.7 c + 0.9 b + phase) + 0.3 c, float32 of the double; "
                  "teacher phase 0 on the weak view, student phase 0.5 on the strong view",
        "teacher_sum": float(teacher.double().sum()), "student_sum": float(student.double().sum()),
        "samples": SAMPLES,
        # Pixel-index coordinates (pixel centres at integers), canvas -> view, as kornia has them.
        "weak_matrices": weak.transform_matrix.tolist(),
        "strong_matrices": strong.transform_matrix.tolist(),
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    for r in results:
        print(f"threshold {r['threshold']}: loss {r['loss']:.6f} over {r['valid_pixels']} valid pixels, "
              f"{r['target_pixels']} with a target")
    print("written", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
