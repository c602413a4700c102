"""Peer fixtures for derived clusters: SciPy's average-linkage hierarchical clustering
(scipy.cluster.hierarchy.linkage + fcluster maxclust) and scikit-learn's silhouette score on the
co-location similarity of the 15 si-gun-gu industry groups (2020 nominal GRDP by district) and
of the 22 KOSIS activities by province (2017), from the built-in data.

Run from the repository root:  python3 tests/peers/make_cluster_fixtures.py
Needs: pip install scipy scikit-learn numpy."""
import csv
import importlib.metadata as md
import json

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import silhouette_score

OUT = "crates/regis-methods/tests/fixtures/cluster_peers.json"
SKIP = {"gross regional domestic product at market prices", "net taxes on products", "total value added at basic prices"}
TOTALS = {"지역내총생산(시장가격)", "순생산물세", "총부가가치(기초가격)", "제조업"}


def matrix(rows):
    regions = sorted({r for r, _, _ in rows})
    inds = sorted({i for _, i, _ in rows})
    cell = {(r, i): v for r, i, v in rows}
    keep = [r for r in regions if all((r, i) in cell for i in inds)]
    return keep, inds, np.array([[cell[(r, i)] for i in inds] for r in keep])


cases = []
rows = []
with open("data/korea/sigungu/censuskor_economy_tax_2010_2015_2020.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["class1"] == "grdp" and r["class2"] not in SKIP and r["year"] == "2020.0" and r["value"]:
            rows.append((r["adm2_code"], r["class2"], max(float(r["value"]), 0.0)))
rows2 = []
with open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8") as fh:
    for r in csv.DictReader(fh):
        if r["price_basis"] == "nominal" and r["activity"] not in TOTALS and r["sido_name"] != "전국" and r["year"] == "2017":
            rows2.append((r["sido_name"], r["activity"], float(r["value_million_krw"])))
for name, rs, ks in (("district_groups_2020", rows, (3, 4, 5)), ("province_activities_2017", rows2, (4, 6))):
    regions, inds, m = matrix(rs)
    shares = m / m.sum(axis=0, keepdims=True)
    sim = np.corrcoef(shares.T)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    z = linkage(squareform(dist, checks=False), method="average")
    for k in ks:
        labels = fcluster(z, k, criterion="maxclust")
        cases.append({"name": f"{name}_k{k}", "values": m.tolist(), "industries": inds, "k": k, "similarity": sim.tolist(), "labels": [int(x) for x in labels], "silhouette": float(silhouette_score(dist, labels, metric="precomputed"))})
json.dump({"peer": f"scipy {md.version('scipy')}, scikit-learn {md.version('scikit-learn')}, numpy {np.__version__}", "script": "tests/peers/make_cluster_fixtures.py", "cases": cases}, open(OUT, "w", encoding="utf-8"), ensure_ascii=False)
print("wrote", len(cases), "cases")
