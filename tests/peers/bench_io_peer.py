"""Peer of `regis bench --task io`: numpy (OpenBLAS) and pymrio on the multiregional table
Regis wrote to DIR (z.bin, x.bin, s.bin: little-endian float64; spec_io.json: n and the
number of satellite rows). Times, with threadpoolctl limiting BLAS to 1 thread and to every
core, the median of 3 runs of:
  numpy_inv:    numpy.linalg.inv(I - A)
  pymrio:       pymrio.calc_A, calc_L (inverse) and calc_M (S L) for the output, income, GVA
                and employment multipliers
  numpy_solve:  the same multipliers by numpy.linalg.solve((I - A)^T, [1, S]^T), no inverse
and writes DIR/peer_io.json with the times, the diagonal of L and the multipliers (rows:
output, then each satellite).
Usage: python3 tests/peers/bench_io_peer.py DIR"""
import json
import os
import sys
import time

import numpy as np
import pymrio
from threadpoolctl import threadpool_limits

d = sys.argv[1]
spec = json.load(open(os.path.join(d, "spec_io.json")))
n, k = spec["n"], spec["satellites"]
z = np.fromfile(os.path.join(d, "z.bin"), dtype="<f8").reshape(n, n)
x = np.fromfile(os.path.join(d, "x.bin"), dtype="<f8")
s = np.fromfile(os.path.join(d, "s.bin"), dtype="<f8").reshape(k, n)
cores = os.cpu_count() or 1


def median(f, runs=3):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2], out


def inv():
    a = pymrio.calc_A(z, x)
    return np.linalg.inv(np.eye(n) - a)


def with_pymrio():
    a = pymrio.calc_A(z, x)
    l = pymrio.calc_L(a)
    coef = np.vstack([np.ones(n), pymrio.calc_S(s, x)])
    return l, pymrio.calc_M(coef, l)


def by_solve():
    a = pymrio.calc_A(z, x)
    coef = np.vstack([np.ones(n), pymrio.calc_S(s, x)])
    return np.linalg.solve((np.eye(n) - a).T, coef.T).T


out = {}
for label, threads in (("1t", 1), ("all", cores)):
    with threadpool_limits(limits=threads):
        out["numpy_inv_" + label], _ = median(inv)
        out["pymrio_" + label], (l, m) = median(with_pymrio)
        out["numpy_solve_" + label], _ = median(by_solve)
out["l_diagonal"] = np.diag(np.asarray(l)).tolist()
out["multipliers"] = np.asarray(m).ravel().tolist()
json.dump(out, open(os.path.join(d, "peer_io.json"), "w"))
