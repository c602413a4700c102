"""Peer fixture for Regis's input-output methods: pymrio's test MRIO system (6 regions x 8
sectors, shipped with pymrio) — flows Z, output x, and pymrio's A, B, L and G.

Run from the repository root:  python3 tests/peers/make_io_fixtures.py
Needs: pip install pymrio."""
import importlib.metadata as md
import json

import numpy as np
import pymrio

t = pymrio.load_test()
t.calc_all()
B = pymrio.calc_B(t.Z, t.x)
G = pymrio.calc_G(B)
out = {
    "peer": f"pymrio {md.version('pymrio')}, numpy {np.__version__}",
    "script": "tests/peers/make_io_fixtures.py",
    "sectors": [f"{r}/{s}" for r, s in t.Z.index],
    "Z": t.Z.values.tolist(),
    "x": t.x.values.ravel().tolist(),
    "A": t.A.values.tolist(),
    "B": B.values.tolist(),
    "L": t.L.values.tolist(),
    "G": G.values.tolist(),
    "trace_L": float(np.trace(t.L.values)),
}
json.dump(out, open("crates/regis-methods/tests/fixtures/io_peers.json", "w"))
print("trace of L", out["trace_L"])
