"""Peer fixtures for Regis's max-p and SKATER, produced by spopt on real data: the built-in
Korea districts (250 si-gun-gu, 2018 boundaries) with 2020 values exported by Regis itself
(`regis data export ... --format geojson`): population, nominal GRDP and companies.
Attributes: GRDP per head (million KRW per person) and companies per 100 people. Contiguity:
libpysal queen contiguity from the exported boundaries (stored, so both sides use the same).

* SKATER (deterministic): spopt's Skater on the mainland (the largest connected part;
  Jeju and Ulleung are islands) for several region counts and floors; Regis must give the same
  partition.
* max-p (randomised heuristic): spopt's MaxPHeuristic with population thresholds, several
  seeds (policy "drop": islands below the threshold left out); the fixture keeps p and the
  objective (within-region sum of pairwise city-block distances) of every seed, so the test
  can check that Regis's result is as good.

Run from the repository root after `cargo build -p regis-cli`:
    python3 tests/peers/make_regionalisation_fixtures.py
Needs: pip install spopt libpysal geopandas numpy."""
import importlib.metadata as md
import json
import subprocess
import warnings

import geopandas as gpd
import libpysal
import numpy as np
from spopt.region import MaxPHeuristic, Skater

warnings.filterwarnings("ignore")
OUT = "crates/regis-methods/tests/fixtures/regionalisation_peers.json"


def export(measure):
    path = f"/tmp/regis_regionalisation_{measure}.geojson"
    subprocess.run(
        ["target/debug/regis", "data", "export", "--measure", measure, "--level", "district",
         "--period", "2020", "--format", "geojson", "--out", path],
        check=True, capture_output=True,
    )
    return gpd.read_file(path)


pop = export("population")
grdp = export("grdp_nominal").set_index("code")["value"]
companies = export("companies").set_index("code")["value"]
gdf = pop.rename(columns={"value": "population"})
gdf["grdp"] = gdf["code"].map(grdp)
gdf["companies"] = gdf["code"].map(companies)
gdf = gdf.dropna(subset=["population", "grdp", "companies"]).reset_index(drop=True)
gdf["grdp_per_head"] = gdf["grdp"] / gdf["population"]
gdf["companies_per_100"] = 100.0 * gdf["companies"] / gdf["population"]
attrs = ["grdp_per_head", "companies_per_100"]

w = libpysal.weights.Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
neighbours = [sorted(int(j) for j in w.neighbors[i]) for i in range(len(gdf))]


def within_pairwise(labels, x):
    total = 0.0
    for r in set(labels):
        if r < 0:
            continue
        idx = np.where(np.asarray(labels) == r)[0]
        sub = x[idx]
        total += np.abs(sub[:, None, :] - sub[None, :, :]).sum() / 2.0
    return float(total)


x = gdf[attrs].to_numpy()
case = {
    "name": "korea_districts_2020",
    "codes": gdf["code"].tolist(),
    "population": gdf["population"].tolist(),
    "attributes": x.tolist(),
    "neighbours": neighbours,
    "islands": sorted(int(i) for i in w.islands),
    "skater": [],
    "max_p": [],
}

# SKATER on the mainland (largest connected part).
comp = w.component_labels
main = int(np.bincount(comp).argmax())
keep = np.where(comp == main)[0]
case["mainland"] = keep.tolist()
sub = gdf.iloc[keep].reset_index(drop=True)
wsub = libpysal.weights.w_subset(w, keep.tolist(), silence_warnings=True)
old_new = {o: n for n, o in enumerate(keep.tolist())}
wsub = libpysal.weights.W({old_new[o]: [old_new[j] for j in wsub.neighbors[o]] for o in keep.tolist()}, silence_warnings=True)
for n_clusters, floor in ((4, 5), (8, 10), (12, 3)):
    model = Skater(sub, wsub, attrs, n_clusters=n_clusters, floor=floor, islands="increase")
    model.solve()
    case["skater"].append({"regions": n_clusters, "floor": floor, "labels": [int(v) for v in model.labels_]})

# max-p: population thresholds, several seeds.
for threshold in (1_500_000, 3_000_000):
    runs = []
    for seed in range(5):
        np.random.seed(seed)
        m = MaxPHeuristic(gdf, w, attrs, "population", threshold, top_n=2, policy="drop")
        m.solve()
        # With policy "drop" the labels cover the areas of the parts of the map that reach the
        # threshold, in order; put them back in place (-1 for the areas left out).
        totals = {c: gdf["population"][comp == c].sum() for c in set(comp)}
        kept = [i for i in range(len(gdf)) if totals[comp[i]] >= threshold]
        labels = [-1] * len(gdf)
        for i, v in zip(kept, m.labels_):
            labels[i] = int(v)
        assert len(kept) == len(m.labels_)
        runs.append({"seed": seed, "p": int(m.p), "objective": within_pairwise(labels, x)})
    case["max_p"].append({"threshold": threshold, "runs": runs})

json.dump(
    {"peer": f"spopt {md.version('spopt')}, libpysal {md.version('libpysal')}",
     "script": "tests/peers/make_regionalisation_fixtures.py", "cases": [case]},
    open(OUT, "w"),
)
print("wrote", OUT, {t["threshold"]: [(r["p"], round(r["objective"], 1)) for r in t["runs"]] for t in case["max_p"]})
