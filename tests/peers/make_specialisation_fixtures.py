"""Peer fixtures for Regis's location quotients (RCA), specialisation matrix, diversity and
ubiquity, produced by py-ecomplexity (Harvard Growth Lab, PyPI `ecomplexity`) on the built-in
Korea data: nominal GRDP by province x the 16 top-level KOSIS activity groups (sections and grouped sections;
totals and taxes left out), 2001, 2010 and 2017 (Gwangju, Daejeon and Ulsan have no separate
GRDP in early years and are simply absent then).

Run from the repository root:  python3 tests/peers/make_specialisation_fixtures.py
Needs: pip install ecomplexity pandas."""
import csv
import importlib.metadata as md
import json

import pandas as pd
from ecomplexity import ecomplexity

OUT = "crates/regis-methods/tests/fixtures/specialisation_peers.json"
LEVEL1_EXCLUDED = {"지역내총생산(시장가격)", "순생산물세", "총부가가치(기초가격)"}

rows = []
with open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if (
            r["price_basis"] == "nominal"
            and r["activity_level"] == "1"
            and r["activity"] not in LEVEL1_EXCLUDED
            and r["sido_name"] != "전국"
            and int(r["year"]) in (2001, 2010, 2017)
        ):
            rows.append({"year": int(r["year"]), "loc": r["sido_name"], "prod": r["activity"], "val": float(r["value_million_krw"])})
df = pd.DataFrame(rows)
df = df[df.groupby(["year", "loc"]).val.transform("sum") > 0]
out = ecomplexity(df, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}, presence_test="rca", rca_mcp_threshold=1)
cases = []
for year, g in out.groupby("year"):
    regions = sorted(g["loc"].unique())
    industries = sorted(g["prod"].unique())
    g = g.set_index(["loc", "prod"])
    cases.append({
        "name": f"korea_grdp_province_activity_{year}",
        "year": int(year),
        "regions": regions,
        "industries": industries,
        "values": [[float(g.loc[(r, i), "val"]) for i in industries] for r in regions],
        "rca": [[float(g.loc[(r, i), "rca"]) for i in industries] for r in regions],
        "mcp": [[int(g.loc[(r, i), "mcp"]) for i in industries] for r in regions],
        "diversity": [int(g.loc[(r, industries[0]), "diversity"]) for r in regions],
        "ubiquity": [int(g.loc[(regions[0], i), "ubiquity"]) for i in industries],
    })
with open(OUT, "w", encoding="utf-8") as fh:
    json.dump({"peer": f"ecomplexity {md.version('ecomplexity')}, pandas {pd.__version__}", "script": "tests/peers/make_specialisation_fixtures.py", "cases": cases}, fh, ensure_ascii=False, indent=1)
print(f"wrote {len(cases)} cases to {OUT}")
