"""The peers of `regis bench --task evaluation`, run on the inputs Regis wrote to DIR, timed
here and written to DIR/peer_evaluation.json:

- Callaway & Sant'Anna on DIR/cs_panel.csv (unit, period, y, g; g = 0 never treated) with the
  PyPI peer `csdid` (a port of R `did`): ATT(g,t) with analytic standard errors (no
  bootstrap) and the four aggregations, never-treated controls, no covariates;
- synthetic control on California's Proposition 99 (DIR/smoking.csv, the paper's predictors)
  with `pysyncon`: the V search (Nelder-Mead from equal weights, pysyncon's default) and every
  in-space placebo (PlaceboTest, its process pool over DIR/spec's `threads` workers), with the
  pre-treatment MSPE of the treated unit and of each placebo.

Usage: python3 tests/peers/bench_evaluation_peer.py DIR
Needs: pip install csdid pysyncon pandas numpy scipy
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
DIR = sys.argv[1]
spec = json.load(open(os.path.join(DIR, "spec_evaluation.json")))
out = {}

if "cs" in spec["cases"]:
    from csdid.att_gt import ATTgt
    d = pd.read_csv(os.path.join(DIR, "cs_panel.csv"))
    t = time.perf_counter()
    fit = ATTgt(yname="y", gname="g", idname="unit", tname="period", data=d,
                control_group="nevertreated").fit(est_method="dr", bstrap=False)
    aggs = {}
    for kind in ["simple", "dynamic", "group", "calendar"]:
        a = fit.aggte(typec=kind, bstrap=False).atte
        aggs[kind] = float(a["overall_att"])
    out["cs_seconds"] = time.perf_counter() - t
    r = fit.results
    out["cs_att_gt"] = [float(x) for x in r["att"]]
    out["cs_std_error"] = [float(x) for x in np.asarray(r["se"]).ravel()]
    out["cs_aggregations"] = aggs

if "sc" in spec["cases"]:
    from pysyncon import Dataprep, Synth
    from pysyncon.utils import PlaceboTest
    smoking = pd.read_csv(os.path.join(DIR, "smoking.csv"))
    states = list(smoking.state.unique())

    def dataprep(treated):
        return Dataprep(
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
            treatment_identifier=treated,
            controls_identifier=[s for s in states if s != treated],
            time_optimize_ssr=range(1970, 1989),
        )

    t = time.perf_counter()
    dp = dataprep("California")
    synth = Synth()
    synth.fit(dataprep=dp)
    placebo = PlaceboTest()
    placebo.fit(dataprep=dp, scm=Synth(), scm_options={}, max_workers=spec["threads"],
                verbose=False)
    out["sc_seconds"] = time.perf_counter() - t
    out["sc_threads"] = spec["threads"]
    # Pre-treatment MSPE (1970-1988) of the treated unit and of each placebo.
    pre = [y for y in range(1970, 1989)]
    _, z1 = dp.make_outcome_mats(time_period=pre)
    z0, _ = dp.make_outcome_mats(time_period=pre)
    w = np.asarray(synth.W)
    out["sc_pre_mspe"] = float(np.mean((z1.to_numpy() - z0.to_numpy() @ w) ** 2))
    gaps = placebo.gaps
    out["sc_placebo_pre_mspe"] = {
        str(c): float(np.mean(gaps.loc[pre, c].to_numpy() ** 2)) for c in gaps.columns}
    out["sc_weights"] = {str(k): float(v) for k, v in zip(z0.columns, w)}

with open(os.path.join(DIR, "peer_evaluation.json"), "w") as f:
    json.dump(out, f)
