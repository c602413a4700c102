"""The peer of `regis bench --task micro`: DuckDB aggregates the same establishment Parquet
file to province x industry x period (establishments, employees, sales), independently of
Regis's code history: the province is the first two digits of the SGIS district code, the
industry the KOSIS GRDP activity given by the map Regis writes (C1..C7 under C).

Usage: python3 tests/peers/bench_micro_peer.py DIR   (reads DIR/spec_micro.json, writes
DIR/peer_micro.json). Needs: pip install duckdb
"""
import json
import os
import sys
import time

import duckdb


def main():
    d = sys.argv[1]
    spec = json.load(open(os.path.join(d, "spec_micro.json")))
    quote = lambda p: "'" + p.replace("'", "''") + "'"
    query = f"""
        SELECT substr(e.region, 1, 2) AS region, m.target AS industry, e.period,
               count(*) AS establishments, sum(e.employees) AS employees, sum(e.sales) AS sales
        FROM read_parquet({quote(spec["file"])}) e
        JOIN read_csv({quote(spec["map"])}, header = true, all_varchar = true) m ON e.industry = m.code
        GROUP BY ALL ORDER BY region, industry, period
    """
    # The duplicate check Regis runs by default: establishments twice in a period.
    duplicates = f"""
        SELECT count(*) FROM (
            SELECT establishment_id, period FROM read_parquet({quote(spec["file"])})
            GROUP BY ALL HAVING count(*) > 1)
    """
    out = {}
    rows = None
    for label, threads in (("1t", 1), ("all", os.cpu_count() or 1)):
        con = duckdb.connect()
        con.execute(f"SET threads = {threads}")
        times = []
        for _ in range(3):
            t = time.perf_counter()
            rows = con.execute(query).fetchall()
            times.append(time.perf_counter() - t)
        out["duckdb_" + label] = sorted(times)[1]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            rows = con.execute(query).fetchall()
            twice = con.execute(duplicates).fetchone()[0]
            times.append(time.perf_counter() - t)
        out["duckdb_checked_" + label] = sorted(times)[1]
        out["duplicates"] = int(twice)
        con.close()
    out["groups"] = [[r[0], r[1], int(r[2])] for r in rows]
    out["establishments"] = [float(r[3]) for r in rows]
    out["employees"] = [float(r[4]) for r in rows]
    out["sales"] = [float(r[5]) for r in rows]
    out["duckdb_version"] = duckdb.__version__
    json.dump(out, open(os.path.join(d, "peer_micro.json"), "w"))


main()
