"""Peer fixtures for Regis's inequality methods, produced by PySAL's `inequality` package on real
data: libpysal's `mexico` (state GDP per capita 1940-2000, Hanson regions) and the built-in Korea
data (GRDP per head by province 1985-2017, nominal GRDP / mid-year population, SMA vs the rest).

Run from the repository root:  python3 tests/peers/make_inequality_fixtures.py
Needs: pip install inequality libpysal numpy  (versions are written into the fixture)."""
import csv
import json
from collections import defaultdict

import inequality
import libpysal
import numpy as np
from inequality.atkinson import atkinson
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

OUT = "crates/regis-methods/tests/fixtures/inequality_peers.json"


def case(name, y, partition, source):
    y = np.asarray(y, dtype=float)
    part = np.asarray(partition)
    d = TheilD(y, part)
    return {
        "name": name,
        "source": source,
        "y": y.tolist(),
        "partition": [int(v) for v in part],
        "theil": float(Theil(y).T),
        "gini": float(Gini(y).g),
        "theil_between": float(np.ravel(d.bg)[0]),
        "theil_within": float(np.ravel(d.wg)[0]),
        "atkinson_0.5": float(atkinson(y, 0.5)),
        "atkinson_1": float(atkinson(y, 1)),
        "atkinson_2": float(atkinson(y, 2)),
    }


cases = []
f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
for dec in range(1940, 2010, 10):
    y = f.by_col[f"pcgdp{dec}"]
    for part in ("hanson03", "hanson98"):
        groups = [int(g) - 1 for g in f.by_col[part]]
        cases.append(case(f"mexico_{dec}_{part}", y, groups, "libpysal examples mexico.csv"))

# Korea: nominal GRDP per head by province (16 provinces; KOSIS has no Sejong in GRDP).
grdp = {}
with open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["price_basis"] == "nominal" and r["activity"] == "지역내총생산(시장가격)" and r["sido_name"] != "전국":
            grdp[(r["sido_name"], int(r["year"]))] = float(r["value_million_krw"])
pop = {}
with open("data/korea/kosis/population_projection_base_sido_sex_age_1970_2020.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["sex"] == "계" and r["age_group"] == "계" and r["population"]:
            pop[(r["sido_name"], int(r["year"]))] = float(r["population"])
sma = {"서울특별시", "인천광역시", "경기도"}
provinces = sorted({k[0] for k in grdp})
for year in range(1985, 2018):
    # KOSIS writes 0 for Gwangju/Daejeon/Ulsan before they were compiled separately: left out.
    names = [p for p in provinces if grdp.get((p, year), 0) > 0]
    # Sejong's population is in Chungnam/Chungbuk for GRDP purposes; use provinces with GRDP only.
    y = [grdp[(p, year)] * 1e6 / pop[(p, year)] for p in names]
    assert min(y) > 0, (year, list(zip(names, y)))
    c = case(f"korea_grdp_per_head_{year}", y, [0 if p in sma else 1 for p in names], "data/korea/kosis (KOSIS DT_1C61 / DT_1BPB001)")
    c["regions"] = names
    cases.append(c)

fixture = {
    "peer": f"inequality {inequality.__version__}, libpysal {libpysal.__version__}, numpy {np.__version__}",
    "script": "tests/peers/make_inequality_fixtures.py",
    "cases": cases,
}
with open(OUT, "w", encoding="utf-8") as fh:
    json.dump(fixture, fh, ensure_ascii=False, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
