"""Peer fixtures for Regis's programme-evaluation methods (crates/regis-methods/src/evaluation).

Callaway & Sant'Anna (2021) staggered difference-in-differences on `mpdta` (500 US counties,
2003-2007, log teen employment; crates/regis-methods/tests/fixtures/mpdta.csv, from the R
package `did`) with the PyPI peer `csdid` (0.4.x, a port of R `did`): ATT(g,t) for every cohort
and period, their analytic standard errors (no bootstrap), and the four aggregations (simple,
dynamic, group, calendar) with analytic standard errors, for never-treated and not-yet-treated
controls, without covariates and with the covariate lpop by each of the three estimators
(dr, ipw, reg). Writes crates/regis-methods/tests/fixtures/evaluation_peers.json.

Run from the repository root:  python3 tests/peers/make_evaluation_fixtures.py
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import csdid
from csdid.att_gt import ATTgt

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "crates", "regis-methods", "tests", "fixtures", "mpdta.csv")
OUT = os.path.join(ROOT, "crates", "regis-methods", "tests", "fixtures", "evaluation_peers.json")


def floats(xs):
    return [float(x) for x in np.asarray(xs, dtype=float).ravel()]


def run(control, est_method="dr", xformla=None):
    d = pd.read_csv(DATA).rename(columns={"first.treat": "first_treat"})
    fit = ATTgt(yname="lemp", gname="first_treat", idname="countyreal", tname="year",
                data=d, control_group=control, xformla=xformla).fit(est_method=est_method,
                                                                    bstrap=False)
    r = fit.results
    out = {
        "control_group": control,
        "est_method": est_method,
        "xformla": xformla,
        "att_gt": [{"group": int(g), "period": int(t), "att": float(a), "std_error": float(s)}
                   for g, t, a, s in zip(r["group"], r["year"], r["att"], np.asarray(r["se"]).ravel())],
        "aggregations": {},
    }
    for kind in ["simple", "dynamic", "group", "calendar"]:
        a = fit.aggte(typec=kind, bstrap=False).atte
        agg = {"att": float(a["overall_att"]), "std_error": float(a["overall_se"])}
        if a.get("egt") is not None:
            agg["by"] = [{"key": int(k), "att": float(v), "std_error": float(s)}
                         for k, v, s in zip(a["egt"], a["att_egt"], np.asarray(a["se_egt"]).ravel())]
        out["aggregations"][kind] = agg
    return out


def twfe():
    """Static TWFE and the event study by OLS with unit and year dummies (statsmodels),
    standard errors clustered by county (CR1), and the Wald test of the leads (chi-square)."""
    import statsmodels.api as sm
    d = pd.read_csv(DATA).rename(columns={"first.treat": "g"})
    d["D"] = ((d.g > 0) & (d.year >= d.g)).astype(float)
    fe = pd.get_dummies(d[["countyreal", "year"]].astype(str), drop_first=True, dtype=float)
    X = sm.add_constant(pd.concat([d[["D"]], fe], axis=1))
    m = sm.OLS(d.lemp, X).fit(cov_type="cluster", cov_kwds={"groups": d.countyreal})
    static = {"att": float(m.params["D"]), "std_error": float(m.bse["D"])}
    e = np.where(d.g > 0, d.year - d.g, -999)
    events = sorted(set(int(x) for x in e if x != -999 and x != -1))
    cols = {f"e{x}": (e == x).astype(float) for x in events}
    X = sm.add_constant(pd.concat([pd.DataFrame(cols), fe], axis=1))
    m = sm.OLS(d.lemp, X).fit(cov_type="cluster", cov_kwds={"groups": d.countyreal})
    leads = [f"e{x}" for x in events if x <= -2]
    w = m.wald_test(", ".join(f"{c} = 0" for c in leads), use_f=False, scalar=True)
    return {
        "static": static,
        "event_study": [{"event": x, "estimate": float(m.params[f"e{x}"]),
                         "std_error": float(m.bse[f"e{x}"])} for x in events],
        "pre_trend_wald": float(w.statistic), "pre_trend_df": len(leads),
        "pre_trend_p": float(w.pvalue),
    }


def bootstrap():
    """The multiplier bootstrap (Rademacher weights, 20,000 draws, seeded): bootstrap standard
    errors of every ATT(g,t) and the critical value of the uniform 95% band over them, and the
    same for the event-study (dynamic) aggregation. Random: compared within Monte Carlo error."""
    np.random.seed(20210)
    d = pd.read_csv(DATA).rename(columns={"first.treat": "first_treat"})
    fit = ATTgt(yname="lemp", gname="first_treat", idname="countyreal", tname="year",
                data=d, control_group="nevertreated", biters=20000, cband=True
                ).fit(est_method="dr", bstrap=True)
    r = fit.results
    out = {"draws": 20000, "att_gt_std_errors": floats(r["se"]), "att_gt_critical_value": float(r["c"])}
    np.random.seed(20211)
    a = fit.aggte(typec="dynamic", bstrap=True, cband=True, biters=20000).atte
    out["dynamic_std_errors"] = floats(a["se_egt"])
    out["dynamic_critical_value"] = float(a["crit_val_egt"])
    return out


fixture = {
    "peer": "csdid " + getattr(csdid, "__version__", "0.4"),
    "twfe_peer": "statsmodels OLS with unit and year dummies, cov_type=cluster (CR1)",
    "twfe": twfe(),
    "data": "mpdta (R package did 2.1.2): lemp by countyreal and year, first.treat",
    "runs": [run("nevertreated"), run("notyettreated")],
    # With the covariate lpop (log county population, constant over time): the three 2x2
    # estimators of Sant'Anna & Zhao (2020) per ATT(g,t).
    "bootstrap": bootstrap(),
    "covariate_runs": [run(c, m, "~lpop") for c in ["nevertreated", "notyettreated"]
                       for m in ["dr", "ipw", "reg"]],
}
with open(OUT, "w") as f:
    json.dump(fixture, f, indent=1)
print("wrote", OUT)
