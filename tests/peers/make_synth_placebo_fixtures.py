"""Peer fixture for the in-space placebos of Regis's synthetic control
(crates/regis-methods/src/evaluation/synthetic.rs): pysyncon's PlaceboTest on California's
Proposition 99 with the paper's predictors and V given (equal weights, so that the weights are
a convex programme's and the comparison is deterministic): the gap of California and of every
placebo (each donor treated, the other donors its donors), 1970-2000, pysyncon's placebo
p-value for the treatment in 1989, and each placebo's predictor loss.
Writes crates/regis-methods/tests/fixtures/synth_placebo_peers.json.

Run from the repository root:  python3 tests/peers/make_synth_placebo_fixtures.py
Needs: pip install pysyncon pandas numpy scipy
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
from pysyncon import Dataprep, Synth
from pysyncon.utils import PlaceboTest

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "crates", "regis-methods", "tests", "fixtures")
smoking = pd.read_csv(os.path.join(FIX, "smoking.csv"))
states = sorted(smoking.state.unique())
donors = [s for s in states if s != "California"]
dp = Dataprep(
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
    controls_identifier=donors,
    time_optimize_ssr=range(1970, 1989),
)
v = np.full(8, 1 / 8)
placebo = PlaceboTest()
placebo.fit(dataprep=dp, scm=Synth(), scm_options={"custom_V": v}, max_workers=1, verbose=False)
years = list(range(1970, 2001))
out = {
    "peer": "pysyncon PlaceboTest, custom_V equal",
    "v": v.tolist(),
    "years": years,
    "treated_gaps": [float(x) for x in placebo.treated_gap.loc[years]],
    "placebo_gaps": {str(c): [float(x) for x in placebo.gaps.loc[years, c]] for c in placebo.gaps.columns},
    "p_value": float(placebo.pvalue(treatment_time=1989)),
    "placebo_loss_w": {},
}
# Each placebo's predictor loss (X1 - X0 W)' V (X1 - X0 W) on scaled predictors, from the same
# fit as PlaceboTest's (Synth.fit with custom_V on the placebo's Dataprep).
for d in donors:
    dpp = Dataprep(
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
        treatment_identifier=d,
        controls_identifier=[x for x in donors if x != d],
        time_optimize_ssr=range(1970, 1989),
    )
    s = Synth()
    s.fit(dataprep=dpp, custom_V=v)
    X0, X1 = dpp.make_covariate_mats()
    sd = pd.concat([X0, X1], axis=1).std(axis=1)
    gap = (X1 / sd).to_numpy() - (X0.divide(sd, axis=0)).to_numpy() @ np.asarray(s.W)
    out["placebo_loss_w"][d] = float(np.sum(v * gap ** 2))
with open(os.path.join(FIX, "synth_placebo_peers.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote synth_placebo_peers.json", out["p_value"])
