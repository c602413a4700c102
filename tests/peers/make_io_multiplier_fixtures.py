"""Peer fixtures for Regis's input-output multipliers: pymrio on the Bank of Korea's 2020
benchmark table at 33 and at 165 sectors (data/korea/io, domestic flows at producers' prices;
io_multipliers_peers.json and io_multipliers_peers_165.json). pymrio
builds x from the flows and domestic final demand, the Leontief inverse L, and the
multipliers M = S L of three satellite rows: compensation of employees (9610), value added
(9690) and full-time-equivalent employment in 2020.

Run from the repository root:  python3 tests/peers/make_io_multiplier_fixtures.py
Needs: pip install pymrio."""
import csv
import importlib.metadata as md
import json

import numpy as np
import pandas as pd
import pymrio

for size in (33, 165):
    D = f"data/korea/io/io_2020_{size}_"
    codes = [r["code"] for r in csv.DictReader(open(D + "sectors.csv", encoding="utf-8"))]
    n = len(codes)
    pos = {c: k for k, c in enumerate(codes)}
    Z = np.zeros((n, n))
    for r in csv.DictReader(open(D + "flows.csv", encoding="utf-8")):
        Z[pos[r["from_code"]], pos[r["to_code"]]] = float(r["value"])
    fd = np.zeros(n)
    for r in csv.DictReader(open(D + "final_demand.csv", encoding="utf-8")):
        if r["basis"] == "domestic" and r["item_code"] == "9190":
            fd[pos[r["sector_code"]]] = float(r["value"])
    va = {k: np.zeros(n) for k in ("9610", "9690")}
    for r in csv.DictReader(open(D + "value_added.csv", encoding="utf-8")):
        if r["item_code"] in va:
            va[r["item_code"]][pos[r["sector_code"]]] = float(r["value"])
    emp = np.zeros(n)
    for r in csv.DictReader(open(D + "employment.csv", encoding="utf-8")):
        emp[pos[r["sector_code"]]] = float(r["employed_fte_2020"])

    idx = pd.MultiIndex.from_tuples([("KR", c) for c in codes], names=["region", "sector"])
    io = pymrio.IOSystem(
        Z=pd.DataFrame(Z, index=idx, columns=idx),
        Y=pd.DataFrame(fd, index=idx, columns=pd.MultiIndex.from_tuples([("KR", "FD")])),
    )
    io.satellite = pymrio.Extension(
        name="satellite",
        F=pd.DataFrame(
            [va["9610"], va["9690"], emp],
            index=["compensation", "value_added", "employment"],
            columns=idx,
        ),
    )
    io.calc_all()
    L = io.L.values
    M = io.satellite.M
    out = {
        "peer": f"pymrio {md.version('pymrio')}, numpy {np.__version__}",
        "script": "tests/peers/make_io_multiplier_fixtures.py",
        "table": f"Bank of Korea 2020 benchmark IO table, {size} sectors, domestic flows, producers' prices",
        "sectors": codes,
        "x": io.x.values.ravel().tolist(),
        "output_multipliers": L.sum(axis=0).tolist(),
        "income_effects": M.loc["compensation"].values.tolist(),
        "gva_effects": M.loc["value_added"].values.tolist(),
        "employment_effects": M.loc["employment"].values.tolist(),
    }
    name = "io_multipliers_peers.json" if size == 33 else f"io_multipliers_peers_{size}.json"
    json.dump(out, open(f"crates/regis-methods/tests/fixtures/{name}", "w"), indent=0)
    print("output multiplier of 01:", out["output_multipliers"][0])
