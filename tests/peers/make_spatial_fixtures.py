"""Peer fixtures for Regis's spatial statistics, produced by PySAL (libpysal, esda, inequality)
on real data:
  * libpysal's `us_income` (per-capita income of the 48 contiguous US states, 1929 and 2009)
    with its contiguity file states48.gal: Moran's I with analytic inference, Geary's C,
    Getis-Ord G, local G_i and G_i*, local Moran (I_i, quadrants, permutation p-values), the
    spatial Gini decomposition;
  * the built-in Korea boundaries (250 si-gun-gu, 2018): queen and rook contiguity computed by
    libpysal from the GeoJSON that `regis data export --format geojson` writes, and Moran's I of
    the 2020 census population on them.

Run from the repository root after `cargo build -p regis-cli`:
    python3 tests/peers/make_spatial_fixtures.py
Needs: pip install esda libpysal inequality shapely numpy."""
import importlib.metadata as md
import json
import subprocess

import esda
import libpysal
import numpy as np
import shapely.geometry as sg
from inequality.gini import Gini_Spatial

OUT = "crates/regis-methods/tests/fixtures/spatial_peers.json"
PERMS = 9999


def neighbour_lists(w):
    ids = w.id_order
    pos = {k: i for i, k in enumerate(ids)}
    return [sorted(pos[j] for j in w.neighbors[k]) for k in ids]


def tie_aware_p(sim, observed, perms):
    """esda's folded p-value recomputed from esda's own simulations, counting simulated values
    equal to the observed one up to rounding (1e-12 relative) as ties, i.e. as >=. esda compares
    exactly, so a simulation that reproduces the observed configuration can fall a few ulps
    below it and not count; Regis counts it."""
    sim = np.asarray(sim)
    larger = (sim >= observed - 1e-12 * np.abs(observed)).sum(axis=0)
    low = (perms - larger) < larger
    larger = np.where(low, perms - larger, larger)
    return ((larger + 1.0) / (perms + 1.0)).tolist()


def stats(name, y, w, locals_=True):
    y = np.asarray(y, float)
    nl = neighbour_lists(w)
    out = {"name": name, "y": y.tolist(), "neighbours": nl}
    # Positional ids 0..n-1 (Gini_Spatial indexes values by neighbour id).
    positional = {i: list(v) for i, v in enumerate(nl)}
    w = libpysal.weights.W(positional, silence_warnings=True)
    wr = libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True)
    m = esda.Moran(y, wr, transformation="r", permutations=PERMS)
    out["moran"] = {k: float(getattr(m, k)) for k in ["I", "EI", "VI_norm", "z_norm", "p_norm", "VI_rand", "z_rand", "p_rand", "p_sim"]}
    g = esda.Geary(y, libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True), transformation="r", permutations=0)
    out["geary"] = float(g.C)
    gg = esda.G(y, libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True), permutations=0)
    out["getis_ord_g"] = {"G": float(gg.G), "EG": float(gg.EG)}
    if locals_:
        lm = esda.Moran_Local(y, libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True), transformation="r", permutations=PERMS, seed=12345)
        out["local_moran"] = {"Is": lm.Is.tolist(), "q": lm.q.tolist(), "p_sim": lm.p_sim.tolist(), "p_sim_ties": tie_aware_p(lm.sim, lm.Is, PERMS), "EI": lm.EI.tolist(), "VI": lm.VI.tolist()}
        for star in (False, True):
            gl = esda.G_Local(y, libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True), transform="R", star=star, permutations=PERMS, seed=12345)
            out["local_g_star" if star else "local_g"] = {"Gs": gl.Gs.tolist(), "Zs": gl.Zs.tolist(), "p_norm": gl.p_norm.tolist(), "p_sim": gl.p_sim.tolist(), "p_sim_ties": tie_aware_p(gl.sim, gl.Gs, PERMS)}
        sgini = Gini_Spatial(y, libpysal.weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True), permutations=PERMS)
        out["spatial_gini"] = {"g": float(sgini.g), "wg": float(sgini.wg), "wcg": float(sgini.wcg), "wcg_share": float(sgini.wcg_share), "p_sim": float(sgini.p_sim)}
    return out


cases = []
f = libpysal.io.open(libpysal.examples.get_path("usjoin.csv"))
w = libpysal.io.open(libpysal.examples.get_path("states48.gal")).read()
for year in ("1929", "2009"):
    cases.append(stats(f"us_income_{year}", f.by_col[year], w))

subprocess.run(["target/debug/regis", "data", "export", "--measure", "population", "--level", "district", "--period", "2020", "--format", "geojson", "--out", "/tmp/regis_districts_2020.geojson"], check=True)
gj = json.load(open("/tmp/regis_districts_2020.geojson", encoding="utf-8"))
geoms = [sg.shape(ft["geometry"]) for ft in gj["features"]]
codes = [ft["properties"]["code"] for ft in gj["features"]]
values = [ft["properties"]["value"] for ft in gj["features"]]
korea = {"name": "korea_districts_2018_boundaries", "codes": codes}
for rule, cls in (("queen", libpysal.weights.Queen), ("rook", libpysal.weights.Rook)):
    ww = cls.from_iterable(geoms)
    korea[rule] = neighbour_lists(ww)
    korea[f"{rule}_islands"] = sorted(int(i) for i in ww.islands)
cases.append(korea)
connected = [i for i, v in enumerate(values) if v is not None]
wq = libpysal.weights.Queen.from_iterable(geoms)
k = stats("korea_population_2020_queen", [v if v is not None else 0.0 for v in values], wq, locals_=False)
cases.append(k)

with open(OUT, "w", encoding="utf-8") as fh:
    json.dump({"peer": f"esda {esda.__version__}, libpysal {libpysal.__version__}, inequality {md.version('inequality')}, shapely {md.version('shapely')}", "script": "tests/peers/make_spatial_fixtures.py", "permutations": PERMS, "cases": cases}, fh, ensure_ascii=False)
print("wrote", len(cases), "cases")
