"""The PySAL side of `regis bench`: loads the inputs Regis wrote, times the same computations
with the peer packages (every one the median of three runs, after a warm-up for LISA; the
peers run on one thread: PySAL, spopt, ecomplexity and leidenalg are single-threaded Python
or C, and NumPy's BLAS is held to one thread below), writes the timings and results back as
JSON. Not run by the tests.

Usage: python3 tests/peers/bench_peer.py DIR
Needs: pip install esda libpysal inequality numpy (numba optional: esda uses it when present);
spopt and pandas for the regionalisation task; R with LabourMarketAreas for the lma task
(bench_lma.R)."""
import json
import os
import sys
import time

# One thread for NumPy's BLAS, so that "peer" means one core (Regis is timed on one and on all).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np
from importlib.metadata import version as md_version

d = sys.argv[1]
spec = json.load(open(f"{d}/spec.json"))
out = {"versions": {}}
import esda  # noqa: E402
import inequality  # noqa: E402
import libpysal  # noqa: E402
from inequality.gini import Gini  # noqa: E402
from inequality.theil import TheilD  # noqa: E402

out["versions"] = {"esda": esda.__version__, "libpysal": libpysal.__version__, "inequality": inequality.__version__, "numpy": np.__version__}
try:
    import numba

    out["versions"]["numba"] = numba.__version__
except ImportError:
    out["versions"]["numba"] = None

n = spec["units"]
if "lisa" in spec["tasks"]:
    y = np.fromfile(f"{d}/lisa_values.f64", dtype="<f8")
    pairs = np.loadtxt(f"{d}/lisa_neighbours.csv", delimiter=",", dtype=np.int64)
    neighbours = {i: [] for i in range(n)}
    for i, j in pairs:
        neighbours[int(i)].append(int(j))
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    w.transform = "r"
    # Warm-up (numba compilation, if numba is installed) on a tiny permutation count.
    esda.Moran_Local(y, w, permutations=9, seed=1, keep_simulations=False)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        lm = esda.Moran_Local(y, w, permutations=spec["permutations"], seed=12345, keep_simulations=False)
        times.append(time.perf_counter() - t)
    out["lisa_seconds"] = sorted(times)[1]
    out["lisa_Is"] = lm.Is.tolist()
    out["lisa_p_sim"] = lm.p_sim.tolist()

if "inequality" in spec["tasks"]:
    T = spec["periods"]
    panel = np.fromfile(f"{d}/panel.f64", dtype="<f8").reshape(n, T)
    groups = np.fromfile(f"{d}/groups.i64", dtype="<i8")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        td = TheilD(panel, groups)
        times.append(time.perf_counter() - t)
    out["theil_seconds"] = sorted(times)[1]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        gini = [Gini(panel[:, k]).g for k in range(T)]
        times.append(time.perf_counter() - t)
    out["gini_seconds"] = sorted(times)[1]
    out["theil"] = np.ravel(td.T).tolist()
    out["theil_between"] = np.ravel(td.bg).tolist()
    out["gini"] = [float(g) for g in gini]

if "regionalisation" in spec["tasks"]:
    import warnings

    import pandas as pd
    from spopt.region import MaxPHeuristic, Skater

    warnings.filterwarnings("ignore")
    out["versions"]["spopt"] = md_version("spopt")
    rn = spec["region_units"]
    x = np.fromfile(f"{d}/region_x.f64", dtype="<f8").reshape(rn, 2)
    people = np.fromfile(f"{d}/region_people.f64", dtype="<f8")
    pairs = np.loadtxt(f"{d}/region_neighbours.csv", delimiter=",", dtype=np.int64)
    neighbours = {i: [] for i in range(rn)}
    for i, j in pairs:
        neighbours[int(i)].append(int(j))
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    df = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "people": people})
    # spopt's default settings; the median of three runs from the same seed (each takes tens
    # of seconds here).
    times = []
    for _ in range(3):
        np.random.seed(0)
        t = time.perf_counter()
        m = MaxPHeuristic(df, w, ["x1", "x2"], "people", spec["maxp_threshold"], top_n=2)
        m.solve()
        times.append(time.perf_counter() - t)
    out["maxp_seconds"] = sorted(times)[1]
    out["maxp_p"] = int(m.p)
    labels = np.asarray(m.labels_)
    out["maxp_objective"] = float(sum(np.abs(x[labels == r][:, None, :] - x[labels == r][None, :, :]).sum() / 2 for r in set(labels.tolist())))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        s = Skater(df, w, ["x1", "x2"], n_clusters=spec["skater_regions"], floor=spec["skater_floor"])
        s.solve()
        times.append(time.perf_counter() - t)
    out["skater_seconds"] = sorted(times)[1]
    out["skater_labels"] = [int(v) for v in s.labels_]

if "complexity" in spec["tasks"]:
    import warnings

    import pandas as pd
    from ecomplexity import ecomplexity

    warnings.filterwarnings("ignore")
    df = pd.read_csv(f"{d}/complexity.csv")
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    times = []
    for _ in range(3):
        t = time.perf_counter()
        res = ecomplexity(df, cols, presence_test="rca", rca_mcp_threshold=1, check_logsupermodularity=False)
        times.append(time.perf_counter() - t)
    out["complexity_seconds"] = sorted(times)[1]
    eci = res.groupby("loc")["eci"].first()
    out["eci"] = [float(eci[f"r{r}"]) for r in range(spec["complexity_regions"])]
    out["versions"]["ecomplexity"] = __import__("importlib.metadata").metadata.version("ecomplexity")

if "lma" in spec["tasks"]:
    # Istat's R package; skipped (no peer figures) when R or the package is missing.
    import subprocess

    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_lma.R")
    try:
        r = subprocess.run(["Rscript", script, d], capture_output=True, text=True)
        if r.returncode == 0:
            out.update(json.load(open(f"{d}/lma_peer.json")))
            out["versions"]["LabourMarketAreas"] = os.environ.get("LMA_VERSION", "installed package")
        else:
            print("LabourMarketAreas peer failed:", r.stderr[-500:], file=sys.stderr)
    except FileNotFoundError:
        print("Rscript not found: no LabourMarketAreas peer", file=sys.stderr)

json.dump(out, open(f"{d}/peer.json", "w"))

if "leiden" in spec["tasks"]:
    import igraph as ig
    import leidenalg as la

    e = np.fromfile(f"{d}/leiden_edges.u32", dtype="<u4").reshape(-1, 2)
    g = ig.Graph(n=spec["leiden_nodes"], edges=e.tolist())
    times = []
    for _ in range(3):
        t = time.perf_counter()
        p = la.find_partition(g, la.ModularityVertexPartition, n_iterations=-1, seed=1)
        times.append(time.perf_counter() - t)
    out["leiden_seconds"] = sorted(times)[1]
    out["leiden_modularity"] = p.modularity
    # leidenalg's default: two iterations, not to convergence.
    times = []
    for _ in range(3):
        t = time.perf_counter()
        q = la.find_partition(g, la.ModularityVertexPartition, seed=1)
        times.append(time.perf_counter() - t)
    out["leiden_default_seconds"] = sorted(times)[1]
    out["leiden_default_modularity"] = q.modularity
    out["versions"]["leidenalg"] = la.version
    out["versions"]["igraph"] = ig.__version__
    json.dump(out, open(f"{d}/peer.json", "w"))
