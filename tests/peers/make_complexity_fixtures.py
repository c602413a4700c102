"""Peer fixtures for Regis's complexity methods (ECI, PCI, proximity, density, COI, COG),
produced by py-ecomplexity on the built-in Korea data:
  * nominal GRDP by province x the 22 finest KOSIS activities, 2001, 2010, 2017;
  * nominal GRDP by si-gun-gu x the 15 industry groups, 2015 and 2020.

Run from the repository root:  python3 tests/peers/make_complexity_fixtures.py
Needs: pip install ecomplexity pandas."""
import csv
import importlib.metadata as md
import json
import warnings

import pandas as pd
from ecomplexity import ecomplexity, proximity

warnings.filterwarnings("ignore")
OUT = "crates/regis-methods/tests/fixtures/complexity_peers.json"
TOTALS = {"지역내총생산(시장가격)", "순생산물세", "총부가가치(기초가격)", "제조업"}

rows = []
with open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["price_basis"] == "nominal" and r["activity"] not in TOTALS and r["sido_name"] != "전국" and int(r["year"]) in (2001, 2010, 2017):
            rows.append({"year": int(r["year"]), "loc": r["sido_name"], "prod": r["activity"], "val": float(r["value_million_krw"])})
prov = pd.DataFrame(rows)
prov = prov[prov.groupby(["year", "loc"]).val.transform("sum") > 0]

rows = []
SKIP = {"gross regional domestic product at market prices", "net taxes on products", "total value added at basic prices"}
with open("data/korea/sigungu/censuskor_economy_tax_2010_2015_2020.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["class1"] == "grdp" and r["class2"] not in SKIP and r["year"] in ("2015.0", "2020.0") and r["value"]:
            rows.append({"year": int(float(r["year"])), "loc": str(int(float(r["adm2_code"]))), "prod": r["class2"], "val": max(float(r["value"]), 0.0)})
dist = pd.DataFrame(rows)
# Complete region x industry grids only (ecomplexity fills missing cells with 0).
full = dist.groupby(["year", "loc"])["prod"].transform("count") == dist.groupby("year")["prod"].transform("nunique")
dist = dist[full]

cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
cases = []
for name, df in (("korea_province_activity", prov), ("korea_district_group", dist)):
    out = ecomplexity(df, cols, presence_test="rca", rca_mcp_threshold=1)
    prox = proximity(df, cols, presence_test="rca", rca_mcp_threshold=1)
    for year, g in out.groupby("year"):
        regions = sorted(g["loc"].unique())
        industries = sorted(g["prod"].unique())
        g = g.set_index(["loc", "prod"])
        p = prox[prox["year"] == year].set_index(["prod_1", "prod_2"])
        val = lambda r, i, k: None if pd.isna(g.loc[(r, i), k]) else float(g.loc[(r, i), k])
        cases.append({
            "name": f"{name}_{year}",
            "regions": regions,
            "industries": industries,
            "values": [[float(g.loc[(r, i), "val"]) for i in industries] for r in regions],
            "mcp": [[int(g.loc[(r, i), "mcp"]) for i in industries] for r in regions],
            "eci": [val(r, industries[0], "eci") for r in regions],
            "pci": [val(regions[0], i, "pci") for i in industries],
            "density": [[val(r, i, "density") for i in industries] for r in regions],
            "coi": [val(r, industries[0], "coi") for r in regions],
            "cog": [[val(r, i, "cog") for i in industries] for r in regions],
            "proximity": [[float(p.loc[(a, b), "proximity"]) for b in industries] for a in industries],
        })
with open(OUT, "w", encoding="utf-8") as fh:
    json.dump({"peer": f"ecomplexity {md.version('ecomplexity')}, pandas {pd.__version__}", "script": "tests/peers/make_complexity_fixtures.py", "cases": cases}, fh, ensure_ascii=False)
print(f"wrote {len(cases)} cases")
