"""Peer fixtures for regis-viz: EPSG:5179 coordinates of the built-in boundary vertices by
pyproj (PROJ), and class breaks by PySAL's mapclassify (Quantiles, FisherJenks) on the 2020
district population and 2017 province GRDP per head of the built-in data.

Run from the repository root after `cargo build -p regis-cli`:
    python3 tests/peers/make_viz_fixtures.py
Needs: pip install pyproj mapclassify numpy."""
import importlib.metadata as md
import json
import subprocess

import mapclassify
import numpy as np
from pyproj import Transformer

OUT = "crates/regis-viz/tests/fixtures/viz_peers.json"
subprocess.run(["target/debug/regis", "data", "export", "--measure", "population", "--level", "province", "--period", "2020", "--format", "geojson", "--out", "/tmp/regis_provinces.geojson"], check=True)
gj = json.load(open("/tmp/regis_provinces.geojson", encoding="utf-8"))
pts = []
for f in gj["features"]:
    polys = f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]
    for poly in polys:
        for ring in poly:
            pts.extend(ring[:: max(1, len(ring) // 5)])
pts = pts[::2][:400]
t = Transformer.from_crs("EPSG:4326", "EPSG:5179", always_xy=True)
proj = [list(t.transform(lon, lat)) for lon, lat in pts]
out = {"peer": f"pyproj {md.version('pyproj')} (PROJ), mapclassify {md.version('mapclassify')}", "script": "tests/peers/make_viz_fixtures.py", "lonlat": pts, "epsg5179": proj, "breaks": []}
out_raw = subprocess.run(["target/debug/regis", "data", "export", "--measure", "population", "--level", "district", "--period", "2020", "--format", "csv"], check=True, capture_output=True, text=True).stdout
vals = [float(line.split(",")[-2]) for line in out_raw.strip().split("\n")[1:] if line.split(",")[-2]]
out_raw = subprocess.run(["target/debug/regis", "diagnose", "--measure", "grdp_nominal", "--per", "population", "--period", "2017", "--format", "json"], check=True, capture_output=True, text=True).stdout
gr = [float(line.split(",")[-2]) for line in subprocess.run(["target/debug/regis", "data", "export", "--measure", "grdp_nominal", "--period", "2017", "--format", "csv"], check=True, capture_output=True, text=True).stdout.strip().split("\n")[1:]]
for name, v in (("district_population_2020", vals), ("province_grdp_2017", gr)):
    v = np.asarray(v)
    for k in (5, 7):
        out["breaks"].append({"name": name, "k": k, "values": v.tolist(), "quantiles": mapclassify.Quantiles(v, k=k).bins.tolist(), "fisher_jenks": mapclassify.FisherJenks(v, k=k).bins.tolist()})
json.dump(out, open(OUT, "w"))
print("wrote", OUT)
