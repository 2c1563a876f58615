"""implicit's ALS (Hu, Koren & Volinsky 2008) on nbg's held-out holdings task (bench/peers-implicit.ts).

Reads the exchange files the TS driver wrote in DIR:
  train.csv  user,item,confidence  the training holdings; `confidence` is the c_ui of the paper as
             nbg computes it, so implicit runs with alpha = 1 (implicit's c_ui = alpha * value)
  users.csv  user                  the users to recommend for (those with held-out holdings)
  params.json  {"users", "items", "factors", "regularization", "iterations", "seed", "k"}
Fits implicit.cpu.als.AlternatingLeastSquares with those factors, regularisation and iterations
(implicit's default solver, 3 conjugate-gradient steps per half-step, as nbg's; --exact for
Cholesky solves), recommends the top k items per user among those not in
its training holdings, and writes
  recs.i32       users.csv order, k item indices per user (int32 little-endian, -1 when fewer)
  implicit.json  versions, fit and recommend seconds

usage: python implicit_als.py DIR [--exact] [--threads 0]
"""
import argparse
import json
import sys
import time
from pathlib import Path

import implicit
import numpy as np
import pandas as pd
import scipy
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--exact", action="store_true", help="exact least-squares solves instead of 3 CG steps")
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    d = Path(a.dir)
    params = json.loads((d / "params.json").read_text())
    train = pd.read_csv(d / "train.csv")
    users = pd.read_csv(d / "users.csv")["user"].to_numpy(dtype=np.int32)
    n_users, n_items, k = params["users"], params["items"], params["k"]
    ui = sp.csr_matrix(
        (train["confidence"].to_numpy(dtype=np.float32), (train["user"].to_numpy(), train["item"].to_numpy())),
        shape=(n_users, n_items),
    )
    # implicit warns when BLAS runs its own threads inside its parallel loops; keep BLAS single-threaded.
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=params["factors"],
            regularization=params["regularization"],
            alpha=1.0,
            iterations=params["iterations"],
            use_cg=not a.exact,
            random_state=params["seed"],
            num_threads=a.threads,
        )
        t0 = time.perf_counter()
        model.fit(ui, show_progress=False)
        fit_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        ids, scores = model.recommend(users, ui[users], N=min(k, n_items), filter_already_liked_items=True)
        recommend_seconds = time.perf_counter() - t0
    recs = np.full((len(users), k), -1, dtype="<i4")
    # When fewer than k items are left after filtering, implicit pads with filtered items scored
    # -inf (or the lowest float): those are not recommendations.
    ids = np.where(np.isfinite(scores) & (scores > np.finfo(np.float32).min), ids, -1)
    recs[:, : ids.shape[1]] = ids
    recs.tofile(d / "recs.i32")
    out = {
        "python": sys.version.split()[0],
        "versions": {"implicit": implicit.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "solver": "exact least squares" if a.exact else "conjugate gradient (3 steps)",
        "fitSeconds": fit_seconds,
        "recommendSeconds": recommend_seconds,
        "trainEntries": int(ui.nnz),
        "users": int(len(users)),
    }
    (d / "implicit.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"implicit ALS: fit {fit_seconds:.2f} s, recommend {recommend_seconds:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
