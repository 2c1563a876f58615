"""Reference vectors for nbg's uplift metrics (src/evaluate/uplift-curve.ts), made by scikit-uplift.

Seeded small cases (binary outcome, binary treatment, a score with ties), and for each:
sklift's uplift_curve, qini_curve, perfect curves, uplift_auc_score and qini_auc_score (with and
without negative effects), written as JSON. The output is committed as
test/fixtures/uplift/sklift-reference.json; test/evaluate/uplift-curve.test.ts checks nbg against it
without Python.

usage: python sklift_reference.py OUT.json
"""
import json
import sys
import warnings

import numpy as np
import sklift
from sklift.metrics import (
    perfect_qini_curve,
    perfect_uplift_curve,
    qini_auc_score,
    qini_curve,
    uplift_auc_score,
    uplift_curve,
)


def case(name, y, score, t):
    y, score, t = np.asarray(y), np.asarray(score, dtype=float), np.asarray(t)
    out = {
        "name": name,
        "outcome": y.tolist(),
        "score": score.tolist(),
        "treatment": t.tolist(),
        "upliftAucScore": float(uplift_auc_score(y, score, t)),
        "qiniAucScore": float(qini_auc_score(y, score, t)),
    }
    ratio = y[t == 1].sum() - (t == 1).sum() * y[t == 0].sum() / (t == 0).sum()
    if ratio > 0:  # sklift divides by zero at 0 and its x goes back below 0
        out["qiniAucScoreNoNegative"] = float(qini_auc_score(y, score, t, negative_effect=False))
    for key, (x, v) in {
        "upliftCurve": uplift_curve(y, score, t),
        "qiniCurve": qini_curve(y, score, t),
        "perfectUpliftCurve": perfect_uplift_curve(y, t),
        "perfectQiniCurve": perfect_qini_curve(y, t),
    }.items():
        out[key] = {"x": np.asarray(x, dtype=float).tolist(), "y": np.asarray(v, dtype=float).tolist()}
    return out


def main(path):
    warnings.simplefilter("ignore", FutureWarning)  # sklearn 1.9 deprecates stable_cumsum, used by sklift
    rng = np.random.default_rng(20261125)
    cases = []
    # 1. Informative score with a positive effect; scores rounded to 2 decimals so ties occur.
    n = 400
    x = rng.normal(size=n)
    t = rng.binomial(1, 0.5, size=n)
    tau = 0.25 / (1 + np.exp(-2 * x))
    y = rng.binomial(1, 0.15 + t * tau)
    cases.append(case("positive-effect-ties", y, np.round(x + rng.normal(scale=0.7, size=n), 2), t))
    # 2. Unbalanced treatment (20% treated), many control responders (the other perfect-curve branch),
    #    a partly negative effect, a coarse score (5 levels).
    n = 300
    x = rng.normal(size=n)
    t = rng.binomial(1, 0.2, size=n)
    y = rng.binomial(1, np.clip(0.4 + t * 0.2 * x, 0.01, 0.99))
    cases.append(case("unbalanced-negative-coarse", y, np.floor(np.clip(x, -2, 2)) , t))
    # 3. A tiny hand-sized case.
    cases.append(case("tiny", [1, 0, 1, 0, 1, 1, 0, 0], [0.9, 0.8, 0.8, 0.5, 0.4, 0.3, 0.3, 0.1], [1, 1, 0, 1, 0, 1, 0, 0]))
    with open(path, "w") as f:
        json.dump({"skliftVersion": sklift.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
