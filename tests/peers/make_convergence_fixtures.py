"""Peer fixtures for β-convergence regressions, produced by PySAL's `spreg.OLS` (coefficients,
standard errors, t statistics, p-values, R²) on real data: libpysal's `mexico` (state GDP per head,
1940 -> 2000, unconditional and conditional on Hanson's 2003 regions) and the built-in Korea data
(nominal GRDP per head by province 1998 -> 2017, unconditional and conditional on SMA).

Run from the repository root:  python3 tests/peers/make_convergence_fixtures.py
Needs: pip install spreg libpysal numpy."""
import csv
import importlib.metadata as md
import json

import libpysal
import numpy as np
import spreg

OUT = "crates/regis-methods/tests/fixtures/convergence_peers.json"


def fit(name, y0, y1, years, groups=None):
    y0, y1 = np.asarray(y0, float), np.asarray(y1, float)
    g = ((np.log(y1) - np.log(y0)) / years).reshape(-1, 1)
    x = [np.log(y0)]
    if groups is not None:
        for level in range(1, max(groups) + 1):
            x.append(np.array([1.0 if v == level else 0.0 for v in groups]))
    x = np.column_stack(x)
    m = spreg.OLS(g, x)
    return {
        "name": name,
        "y0": y0.tolist(),
        "y1": y1.tolist(),
        "years": years,
        "groups": groups,
        "coefficients": m.betas.ravel().tolist(),
        "std_errors": [float(v) for v in m.std_err],
        "t_values": [float(s[0]) for s in m.t_stat],
        "p_values": [float(s[1]) for s in m.t_stat],
        "r_squared": float(m.r2),
    }


cases = []
f = libpysal.io.open(libpysal.examples.get_path("mexico.csv"))
y0, y1 = f.by_col["pcgdp1940"], f.by_col["pcgdp2000"]
cases.append(fit("mexico_1940_2000", y0, y1, 60.0))
cases.append(fit("mexico_1940_2000_hanson03", y0, y1, 60.0, [int(v) - 1 for v in f.by_col["hanson03"]]))

grdp, pop = {}, {}
with open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["price_basis"] == "nominal" and r["activity"] == "지역내총생산(시장가격)" and r["sido_name"] != "전국":
            grdp[(r["sido_name"], int(r["year"]))] = float(r["value_million_krw"])
with open("data/korea/kosis/population_projection_base_sido_sex_age_1970_2020.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["sex"] == "계" and r["age_group"] == "계" and r["population"]:
            pop[(r["sido_name"], int(r["year"]))] = float(r["population"])
names = sorted({k[0] for k in grdp})
pc = lambda p, y: grdp[(p, y)] * 1e6 / pop[(p, y)]
k0 = [pc(p, 1998) for p in names]
k1 = [pc(p, 2017) for p in names]
sma = {"서울특별시", "인천광역시", "경기도"}
c = fit("korea_grdp_per_head_1998_2017", k0, k1, 19.0)
c["regions"] = names
cases.append(c)
c = fit("korea_grdp_per_head_1998_2017_sma", k0, k1, 19.0, [1 if p in sma else 0 for p in names])
c["regions"] = names
cases.append(c)
with open(OUT, "w", encoding="utf-8") as fh:
    json.dump({"peer": f"spreg {md.version('spreg')}, libpysal {libpysal.__version__}", "script": "tests/peers/make_convergence_fixtures.py", "cases": cases}, fh, ensure_ascii=False, indent=1)
print(f"wrote {len(cases)} cases")
