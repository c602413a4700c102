"""A three-region input-output table of Korea and pymrio's accounts of it: the inputs and the
peer fixture of `regis io mrio` (crates/regis-app/tests/io_mrio.rs).

Inputs written to tests/inputs/ (io_mrio_kr3_flows.csv, _sectors.csv, _final_demand.csv):
the Bank of Korea's 2020 national table at 33 sectors (domestic flows, built in), split into
three regions by their 2017 GRDP (KOSIS, built in): the capital region (Seoul, Incheon,
Gyeonggi: 11, 23, 31), the southeast (Busan, Ulsan, Gyeongnam: 21, 26, 38) and the rest of the
country (the other provinces with GRDP by activity). A region's size in a sector is national
output times its share of the nation's GRDP in the sector's activities (the 83-sector
concordance, weighted by output; BoK's dummy sector 33 by the whole economy). Each region buys
from itself by Flegg's FLQ (delta 0.45) and the rest of each national coefficient from the other
regions in proportion to their output. Final demand (domestic basis, item 9190) is produced
where output is and consumed in proportion to regional GRDP. Output is what the flows and the
final demand add up to (x = Z1 + Y1), as pymrio computes it. It is a test table with the
structure of a multiregional table, not BoK's.

Fixture (crates/regis-app/tests/fixtures/io_mrio_peers.json), from pymrio 0.7.0:
  multipliers of employment and of output (M = S L, pymrio.calc_M), the regional accounts of
  employment (pymrio.calc_accounts: D_cba, D_pba, D_imp, D_exp summed by region), and each
  sector's share of its output multiplier arising in each region (column sums of pymrio's L
  by region block).
Run from the repository root: python3 tests/peers/make_io_mrio_fixture.py
"""
import csv
import json
import math

import numpy as np
import pandas as pd
import pymrio

from korea_io_common import ACTIVITY, SIDO

IO = "data/korea/io/"
GROUPS = {"capital": {"11", "23", "31"}, "southeast": {"21", "26", "38"}}
REGIONS = ["capital", "southeast", "rest"]


def group_of(code):
    return next((g for g, members in GROUPS.items() if code in members), "rest")


sectors = [r["code"] for r in csv.DictReader(open(IO + "io_2020_33_sectors.csv", encoding="utf-8"))]
n = len(sectors)
pos = {c: k for k, c in enumerate(sectors)}
z = np.zeros((n, n))
for r in csv.DictReader(open(IO + "io_2020_33_flows.csv", encoding="utf-8")):
    z[pos[r["from_code"]], pos[r["to_code"]]] = float(r["value"])
x = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_33_output.csv", encoding="utf-8")):
    if r["item_code"] == "9310":
        x[pos[r["sector_code"]]] = float(r["value"])
fd = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_33_final_demand.csv", encoding="utf-8")):
    if r["item_code"] == "9190" and r["basis"] == "domestic":
        fd[pos[r["sector_code"]]] = float(r["value"])
comp = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_33_value_added.csv", encoding="utf-8")):
    if r["item_code"] == "9610":
        comp[pos[r["sector_code"]]] = float(r["value"])
emp = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_33_employment.csv", encoding="utf-8")):
    emp[pos[r["sector_code"]]] = float(r["employed_fte_2020"])
a = z / x[None, :]

grdp = {}
for r in csv.DictReader(open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8")):
    if r["year"] == "2017" and r["price_basis"] == "nominal" and r["sido_name"] in SIDO:
        if r["activity"] in ACTIVITY:
            g = group_of(SIDO[r["sido_name"]])
            key = (g, ACTIVITY[r["activity"]])
            grdp[key] = grdp.get(key, 0.0) + float(r["value_million_krw"])
share = {k: v / sum(grdp[(g, k[1])] for g in REGIONS) for k, v in grdp.items()}

# Each 33-sector's activity mix, by the output of its 83-sector members.
x83 = {}
for r in csv.DictReader(open(IO + "io_2020_165_output.csv", encoding="utf-8")):
    if r["item_code"] == "9310":
        x83[r["sector_code"][:2]] = x83.get(r["sector_code"][:2], 0.0) + float(r["value"])
mix = {s: {} for s in sectors}
for r in csv.DictReader(open(IO + "concordance_io83.csv", encoding="utf-8")):
    act = r["grdp_activity"] or "GVA"
    m = mix[r["io33_code"]]
    m[act] = m.get(act, 0.0) + x83[r["io83_code"]]
sizes = {}
for g in REGIONS:
    sizes[g] = np.array([
        x[k] * sum(w * share[(g, act)] for act, w in mix[s].items()) / sum(mix[s].values())
        for k, s in enumerate(sectors)
    ])


def flq(sz, delta):
    slq = (sz / sz.sum()) / (x / x.sum())
    q = slq[:, None] / slq[None, :]
    np.fill_diagonal(q, slq)
    q = q * math.log2(1 + sz.sum() / x.sum()) ** delta
    return a * np.minimum(q, 1.0)


R = len(REGIONS)
big = R * n
zz = np.zeros((big, big))
produced = sum(sizes.values())
for si, s in enumerate(REGIONS):
    own = flq(sizes[s], 0.45)
    for ri, r in enumerate(REGIONS):
        if r == s:
            coef = own
        else:
            elsewhere = produced - sizes[s]
            coef = (a - own) * (sizes[r] / elsewhere)[:, None]
        zz[ri * n:(ri + 1) * n, si * n:(si + 1) * n] = coef * sizes[s][None, :]
gva_share = np.array([grdp[(g, "GVA")] for g in REGIONS])
gva_share = gva_share / gva_share.sum()
yy = np.zeros((big, R))
for ri, r in enumerate(REGIONS):
    for c in range(R):
        yy[ri * n:(ri + 1) * n, c] = fd * sizes[r] / produced * gva_share[c]
xx = zz.sum(axis=1) + yy.sum(axis=1)
codes = [f"{r}:{s}" for r in REGIONS for s in sectors]
emp_coef = emp / x
comp_coef = comp / x
employment = np.tile(emp_coef, R) * xx
compensation = np.tile(comp_coef, R) * xx

with open("tests/inputs/io_mrio_kr3_flows.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["from", "to", "value"])
    for i in range(big):
        for j in range(big):
            if zz[i, j] != 0.0:
                w.writerow([codes[i], codes[j], repr(float(zz[i, j]))])
with open("tests/inputs/io_mrio_kr3_sectors.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["sector", "region", "output", "compensation", "employment"])
    for k in range(big):
        w.writerow([codes[k], REGIONS[k // n], repr(float(xx[k])), repr(float(compensation[k])),
                    repr(float(employment[k]))])
with open("tests/inputs/io_mrio_kr3_final_demand.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["sector", "region", "final_demand"])
    for k in range(big):
        for c in range(R):
            w.writerow([codes[k], REGIONS[c], repr(float(yy[k, c]))])

# pymrio on the same numbers (read back from the files, so both sides see the same text).
zf = np.zeros((big, big))
cpos = {c: k for k, c in enumerate(codes)}
for r in csv.DictReader(open("tests/inputs/io_mrio_kr3_flows.csv", encoding="utf-8")):
    zf[cpos[r["from"]], cpos[r["to"]]] = float(r["value"])
yf = np.zeros((big, R))
for r in csv.DictReader(open("tests/inputs/io_mrio_kr3_final_demand.csv", encoding="utf-8")):
    yf[cpos[r["sector"]], REGIONS.index(r["region"])] = float(r["final_demand"])
srows = list(csv.DictReader(open("tests/inputs/io_mrio_kr3_sectors.csv", encoding="utf-8")))
xf = np.array([float(r["output"]) for r in srows])
ef = np.array([float(r["employment"]) for r in srows])
index = pd.MultiIndex.from_tuples([(REGIONS[k // n], sectors[k % n]) for k in range(big)],
                                  names=["region", "sector"])
Z = pd.DataFrame(zf, index=index, columns=index)
Y = pd.DataFrame(yf, index=index, columns=pd.Index(REGIONS, name="region"))
X = pd.DataFrame(xf, index=index, columns=["indout"])
A = pymrio.calc_A(Z, X)
L = pymrio.calc_L(A)
F = pd.DataFrame([ef], index=["employment"], columns=index)
S = pymrio.calc_S(F, X)
M = pymrio.calc_M(S, L)
D_cba, D_pba, D_imp, D_exp = pymrio.calc_accounts(S, L, Y)
by_region = lambda d: [float(d.T.groupby(level="region").sum().loc[r].iloc[0]) for r in REGIONS]
lv = L.to_numpy()
shares = [[float(lv[ri * n:(ri + 1) * n, j].sum() / lv[:, j].sum()) for ri in range(R)] for j in range(big)]
out = {
    "pymrio": pymrio.__version__,
    "regions": REGIONS,
    "sectors": codes,
    "output_multipliers": lv.sum(axis=0).tolist(),
    "employment_multipliers": M.to_numpy().ravel().tolist(),
    "region_shares": shares,
    "employment_cba": by_region(D_cba),
    "employment_pba": by_region(D_pba),
    "employment_imp": by_region(D_imp),
    "employment_exp": by_region(D_exp),
}
json.dump(out, open("crates/regis-app/tests/fixtures/io_mrio_peers.json", "w"), indent=1)
print({k: out[k] for k in ("employment_cba", "employment_pba", "employment_imp", "employment_exp")})
