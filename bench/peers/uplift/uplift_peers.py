"""causalml and scikit-uplift learners on nbg's uplift comparison task (bench/peers-uplift.ts).

Reads the exchange files the TS driver wrote in DIR with nbg's CSV dump of decision rows
(src/features/write-examples-csv.ts: client_id, product_id, the pair features by name, ...,
treatment_index (-1 for none), outcome):
  task.json  {"channel", "pairFeatures", "productIds"}
  train.csv  the training rows, treatment_index = the channel or -1 (the driver dropped the others)
  test.csv   the decision rows at the evaluation date D; treatment_index and outcome are the logged
             round at D (used only for the cross-check below)
Features = the pair features + a one-hot of product_id; treatment = contacted through the channel.
Fits every peer on train (seeded LightGBM base learners, the same settings for all), predicts the
uplift of each test row, and writes
  scores-NAME.f32  the predicted uplift per test row, float32 little-endian, test.csv's row order
  peers.json       versions, sizes, and per model: fit and predict seconds, and scikit-uplift's own
                   uplift_auc_score and qini_auc_score on the test rows whose logged action at D
                   was the channel or none (nbg recomputes every metric in TS from the scores;
                   these are the cross-check)

usage: python uplift_peers.py DIR [--seed 1] [--models s,t,x,r,dr,solo,two,ct] [--n-jobs 1]
"""
import argparse
import json
import os
import sys
import time
import warnings
from importlib.metadata import version
from pathlib import Path

# causalml's R-learner cross-fits with joblib n_jobs=-1: one worker process per core, each importing
# the stack and running LightGBM's own threads. Run it in-process instead (LightGBM uses the cores).
os.environ.setdefault("LOKY_MAX_CPU_COUNT", "1")
# OpenMP threads that spin while waiting crawl on a shared machine: let them sleep.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import pandas as pd
from causalml.inference.meta import (
    BaseDRRegressor,
    BaseRClassifier,
    BaseSClassifier,
    BaseTClassifier,
    BaseXClassifier,
)
from lightgbm import LGBMClassifier, LGBMRegressor
from sklift.metrics import qini_auc_score, uplift_auc_score
from sklift.models import ClassTransformation, SoloModel, TwoModels

# One LightGBM setting for every base learner of every peer.
LGBM = dict(
    n_estimators=200,
    learning_rate=0.05,
    num_leaves=31,
    min_child_samples=100,
    deterministic=True,
    force_row_wise=True,
    verbose=-1,
)
# Propensities passed to the X-, R- and DR-learners are clipped to this band (causalml needs (0, 1)).
P_CLIP = 1e-3


def classifier(seed, n_jobs):
    return LGBMClassifier(random_state=seed, n_jobs=n_jobs, **LGBM)


def regressor(seed, n_jobs):
    return LGBMRegressor(random_state=seed, n_jobs=n_jobs, **LGBM)


def peers(seed, n_jobs):
    """name -> (library, fit(X, t, y, p) -> predict(X, p) -> uplift). p: the fitted propensity of X's rows."""
    c = lambda: classifier(seed, n_jobs)  # noqa: E731
    r = lambda: regressor(seed, n_jobs)  # noqa: E731

    def causal(make, with_p):
        def fit(X, t, y, p):
            model = make()
            if with_p:
                model.fit(X, t, y, p=p)
            else:
                model.fit(X, t, y)
            # causalml's X-learner weighs its two effect models by the propensity at prediction too.
            return lambda Xt, pt: np.asarray(model.predict(Xt, p=pt) if with_p else model.predict(Xt)).reshape(-1)

        return fit

    def uplift(make, **fit_kwargs):
        def fit(X, t, y, p):
            model = make()
            model.fit(X, y, t, **fit_kwargs)
            return lambda Xt, pt: np.asarray(model.predict(Xt)).reshape(-1)

        return fit

    def dr_fit(X, t, y, p):
        # causalml's DR-learner calls .predict() on its outcome models, which for a classifier is a
        # 0/1 label: regressors on the binary outcome give the probabilities the DR formula needs.
        model = BaseDRRegressor(
            control_outcome_learner=r(), treatment_outcome_learner=r(), treatment_effect_learner=r()
        )
        model.fit(X, t, y, p=p, seed=seed)
        return lambda Xt, pt: np.asarray(model.predict(Xt)).reshape(-1)

    return {
        "causalml S-learner": ("causalml", causal(lambda: BaseSClassifier(learner=c()), False)),
        "causalml T-learner": ("causalml", causal(lambda: BaseTClassifier(learner=c()), False)),
        "causalml X-learner": (
            "causalml",
            causal(lambda: BaseXClassifier(outcome_learner=c(), effect_learner=r()), True),
        ),
        "causalml R-learner": (
            "causalml",
            causal(
                lambda: BaseRClassifier(outcome_learner=c(), effect_learner=r(), n_fold=3, random_state=seed),
                True,
            ),
        ),
        "causalml DR-learner": ("causalml", dr_fit),
        "sklift SoloModel": ("scikit-uplift", uplift(lambda: SoloModel(c()))),
        "sklift TwoModels": ("scikit-uplift", uplift(lambda: TwoModels(c(), c(), method="vanilla"))),
        "sklift ClassTransformation": ("scikit-uplift", uplift(lambda: ClassTransformation(c()))),
    }


SHORT = {
    "s": "causalml S-learner",
    "t": "causalml T-learner",
    "x": "causalml X-learner",
    "r": "causalml R-learner",
    "dr": "causalml DR-learner",
    "solo": "sklift SoloModel",
    "two": "sklift TwoModels",
    "ct": "sklift ClassTransformation",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--models", default=",".join(SHORT))
    ap.add_argument("--n-jobs", type=int, default=1, help="LightGBM threads per fit")
    args = ap.parse_args()
    warnings.simplefilter("ignore", FutureWarning)  # sklearn 1.9 deprecates stable_cumsum, used by sklift
    warnings.filterwarnings("ignore", message="X does not have valid feature names")
    d = Path(args.dir)
    wanted = [SHORT[m] for m in args.models.split(",") if m]
    t0 = time.perf_counter()
    task = json.loads((d / "task.json").read_text())
    channel = task["channelIndex"]
    features = list(task["pairFeatures"]) + [f"product={p}" for p in task["productIds"]]

    def matrix(df):
        x = np.empty((len(df), len(features)), dtype=np.float32)
        F = len(task["pairFeatures"])
        x[:, :F] = df[task["pairFeatures"]].to_numpy(dtype=np.float32)
        product = df["product_id"].to_numpy()
        for q, p in enumerate(task["productIds"]):
            x[:, F + q] = product == p
        return x

    cols = ["product_id", "treatment_index", "outcome", *task["pairFeatures"]]
    train = pd.read_csv(d / "train.csv", usecols=cols, dtype={f: np.float32 for f in task["pairFeatures"]})
    test = pd.read_csv(d / "test.csv", usecols=cols, dtype={f: np.float32 for f in task["pairFeatures"]})
    X = matrix(train)
    a = train["treatment_index"].to_numpy()
    if not np.all((a == channel) | (a == -1)):
        sys.exit(f"uplift_peers: train.csv has rows treated through another channel than {task['channel']}")
    t = (a == channel).astype(np.int64)
    y = train["outcome"].to_numpy(dtype=np.int64)
    Xt = matrix(test)
    at = test["treatment_index"].to_numpy()
    observed = (at == channel) | (at == -1)
    test_t = (at == channel).astype(np.int64)
    read_seconds = time.perf_counter() - t0
    print(f"read {len(train)} train rows, {len(test)} test rows, {len(features)} features in {read_seconds:.1f} s",
          file=sys.stderr)

    # One propensity model for the learners that take p (X, R, DR): the same for all three.
    t0 = time.perf_counter()
    prop = classifier(args.seed, args.n_jobs).fit(X, t)
    p = np.clip(prop.predict_proba(X)[:, 1], P_CLIP, 1 - P_CLIP)
    pt = np.clip(prop.predict_proba(Xt)[:, 1], P_CLIP, 1 - P_CLIP)
    propensity_seconds = time.perf_counter() - t0

    results = []
    for name, (library, fit) in peers(args.seed, args.n_jobs).items():
        if name not in wanted:
            continue
        t0 = time.perf_counter()
        predict = fit(X, t, y, p)
        fit_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        score = predict(Xt, pt).astype(np.float32)
        predict_seconds = time.perf_counter() - t0
        file = "scores-" + name.lower().replace(" ", "-") + ".f32"
        score.astype("<f4").tofile(d / file)
        yo, to, so = test["outcome"].to_numpy()[observed], test_t[observed], score[observed]
        row = {
            "name": name,
            "library": library,
            "fitSeconds": fit_seconds + (propensity_seconds if name.split()[-1] in ("X-learner", "R-learner", "DR-learner") else 0.0),
            "predictSeconds": predict_seconds,
            "scores": file,
            "skliftUpliftAuc": float(uplift_auc_score(yo, so, to)),
            "skliftQiniAuc": float(qini_auc_score(yo, so, to)),
        }
        results.append(row)
        print(f"{name}: fit {row['fitSeconds']:.1f} s, sklift AUUC {row['skliftUpliftAuc']:.4f}", file=sys.stderr)

    out = {
        "python": sys.version.split()[0],
        "versions": {name: version(name) for name in ("causalml", "scikit-uplift", "lightgbm", "scikit-learn", "numpy", "pandas")},
        "seed": args.seed,
        "lightgbm": LGBM,
        "propensityClip": P_CLIP,
        "propensitySeconds": propensity_seconds,
        "readSeconds": read_seconds,
        "trainRows": int(len(train)),
        "testRows": int(len(test)),
        "features": len(features),
        "treatedShare": float(t.mean()),
        "models": results,
    }
    (d / "peers.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
