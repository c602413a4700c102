"""Independent check of `regis io regionalise --calibrate` (regis_app::io_region::calibrate).

Written from the formulas, not from the Rust code: Flegg & Webber (1997) FLQ,
  SLQ_i = (r_i / R) / (x_i / X), CILQ_ij = SLQ_i / SLQ_j (SLQ_i on the diagonal),
  lambda = log2(1 + R / X) ** delta, FLQ_ij = lambda * CILQ_ij,
  a^r_ij = a_ij * min(FLQ_ij, 1),
with numpy's inverse for (I - A^r)^-1. The national table is the Bank of Korea's 2020
165-product domestic table summed to the 83 regional sectors by the first two digits of the
product code; a province's size in a sector is national output times the province's share of
the nation's (sum of provinces') 2017 nominal GRDP in the sector's KOSIS activity
(data/korea/io/concordance_io83.csv). The error is the mean absolute percentage error of the
in-region output multipliers against BoK's survey-based ones (rows with regional output).

Run from the repository root: python3 tests/peers/make_flq_calibration_fixture.py
Writes crates/regis-app/tests/fixtures/flq_calibration.json.
"""
import csv
import json
import math

import numpy as np

from korea_io_common import ACTIVITY, SIDO

IO = "data/korea/io/"
DELTAS = [round(0.05 * k, 2) for k in range(19)]

conc = list(csv.DictReader(open(IO + "concordance_io83.csv", encoding="utf-8")))
codes = [c["io83_code"] for c in conc]
pos = {c: k for k, c in enumerate(codes)}
n = len(codes)
z = np.zeros((n, n))
for r in csv.DictReader(open(IO + "io_2020_165_flows.csv", encoding="utf-8")):
    z[pos[r["from_code"][:2]], pos[r["to_code"][:2]]] += float(r["value"])
x = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_165_output.csv", encoding="utf-8")):
    if r["item_code"] == "9310":
        x[pos[r["sector_code"][:2]]] += float(r["value"])
a = z / x[None, :]

grdp = {}
for r in csv.DictReader(open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8")):
    if r["year"] == "2017" and r["price_basis"] == "nominal" and r["sido_name"] in SIDO:
        if r["activity"] in ACTIVITY:
            grdp[(SIDO[r["sido_name"]], ACTIVITY[r["activity"]])] = float(r["value_million_krw"])
provinces = sorted({p for p, _ in grdp})
nation = {act: sum(grdp.get((p, act), 0.0) for p in provinces) for act in ACTIVITY.values()}

survey = {}
for r in csv.DictReader(open(IO + "regional_induced_coef_2020.csv", encoding="utf-8")):
    if r["no_regional_output_flag"] != "1":
        survey[(r["sgis_sido_code"], r["sector_code"])] = float(r["production_in_region"])


def in_region_multipliers(sizes, delta):
    slq = (sizes / sizes.sum()) / (x / x.sum())
    q = slq[:, None] / slq[None, :]
    np.fill_diagonal(q, slq)
    if delta is not None:
        q = q * math.log2(1 + sizes.sum() / x.sum()) ** delta
    r = a * np.minimum(q, 1.0)
    return np.linalg.inv(np.eye(n) - r).sum(axis=0)


out = {"deltas": DELTAS, "provinces": {}}
for p in provinces:
    share = {act: grdp.get((p, act), 0.0) / nation[act] for act in ACTIVITY.values()}
    sizes = np.array([x[k] * share[conc[k]["grdp_activity"] or "GVA"] for k in range(n)])
    truth = [(k, survey[(p, c)]) for k, c in enumerate(codes) if (p, c) in survey]

    def mape(m):
        return 100 * sum(abs(m[k] - t) / t for k, t in truth) / len(truth)

    out["provinces"][p] = {
        "sectors": len(truth),
        "mape_by_delta": [mape(in_region_multipliers(sizes, d)) for d in DELTAS],
    }
    # SLQ: a^r_ij = a_ij * min(SLQ_i, 1)
    slq = (sizes / sizes.sum()) / (x / x.sum())
    m = np.linalg.inv(np.eye(n) - a * np.minimum(slq, 1.0)[:, None]).sum(axis=0)
    out["provinces"][p]["mape_slq"] = mape(m)

json.dump(out, open("crates/regis-app/tests/fixtures/flq_calibration.json", "w"), indent=1)
print({p: (v["mape_slq"], min(v["mape_by_delta"])) for p, v in out["provinces"].items()})
