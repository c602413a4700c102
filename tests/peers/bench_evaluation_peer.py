"""The peers of `regis bench --task evaluation`, run on the inputs Regis wrote to DIR, timed
here and written to DIR/peer_evaluation.json:

- Callaway & Sant'Anna on DIR/cs_panel.csv (unit, period, y, g; g = 0 never treated) with the
  PyPI peer `csdid` (a port of R `did`): ATT(g,t) with analytic standard errors (no
  bootstrap) and the four aggregations, never-treated controls, no covariates;
- synthetic control on California's Proposition 99 (DIR/smoking.csv, the paper's predictors)
  with `pysyncon`: the V search (Nelder-Mead from equal weights, pysyncon's default) for
  California and for in-space placebos (each donor treated, the other donors as its donors),
  with the pre-treatment MSPE of each, and each placebo's V and W. One V search takes from about a second to several
  minutes, so with `sc_placebos` = k > 0 in DIR/spec_evaluation.json only the first k donors'
  placebos are run and `sc_seconds` extrapolates the placebos' mean time to all 38 (one
  process; `regis bench` divides by the thread count for the peer's best case).

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
    smoking = pd.read_csv(os.path.join(DIR, "smoking.csv"))
    states = list(smoking.state.unique())

    def dataprep(treated, controls):
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
            controls_identifier=controls,
            time_optimize_ssr=range(1970, 1989),
        )

    pre = list(range(1970, 1989))

    def fit(treated, controls):
        dp = dataprep(treated, controls)
        t = time.perf_counter()
        s = Synth()
        s.fit(dataprep=dp)
        secs = time.perf_counter() - t
        z0, z1 = dp.make_outcome_mats(time_period=pre)
        w = np.asarray(s.W)
        v = np.diag(np.asarray(s.V)) if np.ndim(s.V) == 2 else np.asarray(s.V)
        fit.v = [float(x) for x in v]
        return secs, float(np.mean((z1.to_numpy() - z0.to_numpy() @ w) ** 2)), w, z0.columns

    donors = [s for s in states if s != "California"]
    secs, mspe, w, cols = fit("California", donors)
    out["sc_treated_seconds"] = secs
    out["sc_pre_mspe"] = mspe
    out["sc_weights"] = {str(k): float(v) for k, v in zip(cols, w)}
    # Every placebo would take hours (one V search is 1 s to several minutes): a fixed sample
    # of them (the first `sc_placebos` donors by name, 0 for all) is timed, each on one
    # process, and the total extrapolated to all 38.
    k = spec.get("sc_placebos", 0) or len(donors)
    sample = donors[:k]
    out["sc_placebo_pre_mspe"] = {}
    # Each placebo's V (predictors in the order of the Dataprep) and W (by donor name), so
    # that Regis can tell whether the peer's W is the optimum for the peer's own V.
    out["sc_placebo_v"] = {}
    out["sc_placebo_w"] = {}
    placebo_secs = []
    for d in sample:
        ps, pm, pw, pcols = fit(d, [x for x in donors if x != d])
        placebo_secs.append(ps)
        out["sc_placebo_pre_mspe"][d] = pm
        out["sc_placebo_v"][d] = fit.v
        out["sc_placebo_w"][d] = {str(k): float(x) for k, x in zip(pcols, pw)}
    out["sc_placebos_timed"] = len(sample)
    out["sc_seconds"] = secs + float(np.mean(placebo_secs)) * len(donors)
with open(os.path.join(DIR, "peer_evaluation.json"), "w") as f:
    json.dump(out, f)
