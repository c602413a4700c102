"""Peer fixtures for Regis's synthetic control (crates/regis-methods/src/evaluation/synthetic.rs),
produced by the PyPI peer `pysyncon` on the two published cases:

- Basque Country (Abadie & Gardeazabal 2003; data `basque` from the R package Synth), the
  predictors of Synth's own example;
- California's Proposition 99 (Abadie, Diamond & Hainmueller 2010; data `smoking` from the R
  package tidysynth), the predictors of the paper.

For each: the unscaled predictor matrices X0/X1 and outcome matrices Z0/Z1 as pysyncon's
Dataprep builds them; the donor weights for given V (equal, and a fixed unequal V) from
pysyncon's SLSQP and from SciPy's SLSQP at a tight tolerance; and pysyncon's own V search
(Nelder-Mead from equal and OLS starts) with its pre-period loss.
Writes crates/regis-methods/tests/fixtures/synth_peers.json.

Run from the repository root:  python3 tests/peers/make_synth_fixtures.py
Needs: pip install pysyncon pandas numpy scipy.
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import scipy.optimize as so
from pysyncon import Dataprep, Synth

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "crates", "regis-methods", "tests", "fixtures")


def tight_w(X0s, X1s, v):
    V = np.diag(v)
    P = X0s.T @ V @ X0s
    q = X1s.T @ V @ X0s
    n = X0s.shape[1]
    best = None
    for start in [np.full(n, 1 / n)] + [np.eye(n)[j] for j in range(n)]:
        r = so.minimize(lambda x: 0.5 * x @ P @ x - q @ x, start, jac=lambda x: P @ x - q,
                        method="SLSQP", bounds=[(0, 1)] * n,
                        constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
                        options={"ftol": 1e-16, "maxiter": 10000})
        if best is None or r.fun < best.fun:
            best = r
    return best.x


def case(name, dataprep, treated_name):
    X0, X1 = dataprep.make_covariate_mats()
    Z0, Z1 = dataprep.make_outcome_mats()
    X = pd.concat([X0, X1], axis=1)
    sd = X.std(axis=1)
    X0s, X1s = (X0.divide(sd, axis=0)).to_numpy(), (X1 / sd).to_numpy()
    out = {
        "name": name,
        "treated": treated_name,
        "donors": [str(c) for c in X0.columns],
        "predictors": [str(i) for i in X0.index],
        "x0": X0.to_numpy().tolist(),
        "x1": X1.to_numpy().tolist(),
        "z0": Z0.to_numpy().tolist(),
        "z1": Z1.to_numpy().tolist(),
        "given_v": [],
    }
    k = X0.shape[0]
    for v in [np.full(k, 1 / k), np.arange(1, k + 1, dtype=float) / np.arange(1, k + 1).sum()]:
        s = Synth()
        s.fit(dataprep=dataprep, custom_V=v)
        w_tight = tight_w(X0s, X1s, v)
        out["given_v"].append({
            "v": v.tolist(),
            "w_pysyncon": np.asarray(s.W).tolist(),
            "loss_w_pysyncon": float(s.loss_W),
            "loss_v_pysyncon": float(s.loss_V),
            "w_tight": w_tight.tolist(),
        })
    searches = []
    for start in ["equal", "ols"]:
        s = Synth()
        try:
            s.fit(dataprep=dataprep, optim_method="Nelder-Mead", optim_initial=start)
        except ValueError as e:
            searches.append({"start": start, "error": str(e)})
            continue
        searches.append({"start": start, "v": np.asarray(s.V).tolist(), "w": np.asarray(s.W).tolist(),
                         "loss_v": float(s.loss_V)})
    out["pysyncon_search"] = searches
    return out


basque = pd.read_csv(os.path.join(FIX, "basque.csv"))
dp_basque = Dataprep(
    foo=basque,
    predictors=["school.illit", "school.prim", "school.med", "school.high", "school.post.high", "invest"],
    predictors_op="mean",
    time_predictors_prior=range(1964, 1970),
    special_predictors=[
        ("gdpcap", range(1960, 1970), "mean"),
        ("sec.agriculture", range(1961, 1970, 2), "mean"),
        ("sec.energy", range(1961, 1970, 2), "mean"),
        ("sec.industry", range(1961, 1970, 2), "mean"),
        ("sec.construction", range(1961, 1970, 2), "mean"),
        ("sec.services.venta", range(1961, 1970, 2), "mean"),
        ("sec.services.nonventa", range(1961, 1970, 2), "mean"),
        ("popdens", [1969], "mean"),
    ],
    dependent="gdpcap",
    unit_variable="regionname",
    time_variable="year",
    treatment_identifier="Basque Country (Pais Vasco)",
    controls_identifier=[r for r in basque.regionname.unique()
                         if r not in ("Basque Country (Pais Vasco)", "Spain (Espana)")],
    time_optimize_ssr=range(1960, 1970),
)

smoking = pd.read_csv(os.path.join(FIX, "smoking.csv"))
dp_smoking = Dataprep(
    foo=smoking,
    predictors=["lnincome", "beer", "age15to24", "retprice"],
    predictors_op="mean",
    time_predictors_prior=range(1980, 1989),
    special_predictors=[
        ("beer", range(1984, 1989), "mean"),
        ("cigsale", [1975], "mean"),
        ("cigsale", [1980], "mean"),
        ("cigsale", [1988], "mean"),
    ],
    dependent="cigsale",
    unit_variable="state",
    time_variable="year",
    treatment_identifier="California",
    controls_identifier=[s for s in smoking.state.unique() if s != "California"],
    time_optimize_ssr=range(1970, 1989),
)

fixture = {"peer": "pysyncon", "cases": [case("basque", dp_basque, "Basque Country (Pais Vasco)"),
                                         case("prop99", dp_smoking, "California")]}
with open(os.path.join(FIX, "synth_peers.json"), "w") as f:
    json.dump(fixture, f, indent=1)
print("wrote synth_peers.json")
for c in fixture["cases"]:
    for s in c["pysyncon_search"]:
        if "w" in s:
            top = sorted(zip(s["w"], c["donors"]), reverse=True)[:5]
            print(c["name"], s["start"], round(s["loss_v"], 4), [(d, round(w, 3)) for w, d in top])
