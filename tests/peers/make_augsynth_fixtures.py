"""Peer fixture for Regis's augmented synthetic control
(crates/regis-methods/src/evaluation/augmented.rs): pysyncon's AugSynth (a port of the R
package augsynth with progfunc="Ridge") on California's Proposition 99 (data `smoking`), the
outcome's own pre-treatment values only (use_covariates=False), with the ridge penalty given
(lambda = 1e4 and 1e2) and chosen by its cross-validation. Because pysyncon solves the
synthetic-control weights by SLSQP (tolerance about 1e-6), the fixture also holds the same
augmented weights computed in NumPy from simplex weights solved tightly (SciPy SLSQP at
ftol 1e-16 from every vertex), which the exact solver must match to 1e-8.
Writes crates/regis-methods/tests/fixtures/augsynth_peers.json.

Run from the repository root:  python3 tests/peers/make_augsynth_fixtures.py
Needs: pip install pysyncon pandas numpy scipy
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import scipy.optimize as so
from pysyncon import AugSynth, Dataprep

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "crates", "regis-methods", "tests", "fixtures")
smoking = pd.read_csv(os.path.join(FIX, "smoking.csv"))
states = sorted(smoking.state.unique())
donors = [s for s in states if s != "California"]
dp = Dataprep(
    foo=smoking,
    predictors=["retprice"],
    predictors_op="mean",
    time_predictors_prior=range(1980, 1989),
    dependent="cigsale",
    unit_variable="state",
    time_variable="year",
    treatment_identifier="California",
    controls_identifier=donors,
    time_optimize_ssr=range(1970, 1989),
)
X0, X1 = dp.make_outcome_mats(time_period=range(1970, 1989))
x0 = X0.subtract(X0.mean(axis=1), axis=0).to_numpy()
x1 = (X1 - X0.mean(axis=1)).to_numpy()


def tight_w():
    P, q, n = x0.T @ x0, x1 @ x0, x0.shape[1]
    best = None
    for start in [np.full(n, 1 / n)] + [np.eye(n)[j] for j in range(n)]:
        r = so.minimize(lambda w: 0.5 * w @ P @ w - q @ w, start, jac=lambda w: P @ w - q,
                        method="SLSQP", bounds=[(0, 1)] * n,
                        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
                        options={"ftol": 1e-16, "maxiter": 10000})
        if best is None or r.fun < best.fun:
            best = r
    return best.x


w_tight = tight_w()
Y = smoking.pivot(index="year", columns="state", values="cigsale")
post = list(range(1989, 2001))
runs = []
for lam in [1e4, 1e2, None]:
    a = AugSynth()
    a.fit(dataprep=dp, lambda_=lam, use_covariates=False)
    used = float(a.lambda_)
    # The same augmented weights from the tight simplex weights.
    r = x1 - x0 @ w_tight
    aug = w_tight + x0.T @ np.linalg.solve(x0 @ x0.T + used * np.eye(x0.shape[0]), r)
    gaps = Y.loc[post, "California"].to_numpy() - Y.loc[post, donors].to_numpy() @ aug
    gaps_pysyncon = Y.loc[post, "California"].to_numpy() - Y.loc[post, donors].to_numpy() @ np.asarray(a.W)
    runs.append({
        "lambda_given": lam,
        "lambda": used,
        "weights_pysyncon": [float(v) for v in np.asarray(a.W)],
        "att_pysyncon": float(gaps_pysyncon.mean()),
        "weights_tight": [float(v) for v in aug],
        "att_tight": float(gaps.mean()),
        "cv_lambdas": [float(v) for v in a.cv_result.lambdas] if a.cv_result is not None else [],
        "cv_errors": [float(v) for v in a.cv_result.errors_mean] if a.cv_result is not None else [],
    })
with open(os.path.join(FIX, "augsynth_peers.json"), "w") as f:
    json.dump({"peer": "pysyncon AugSynth (ridge), outcome only", "donors": donors,
               "sc_weights_tight": [float(v) for v in w_tight], "runs": runs}, f, indent=1)
print("wrote augsynth_peers.json")
