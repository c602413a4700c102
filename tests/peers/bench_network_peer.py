"""Peer of `regis bench --task network`: igraph, rustworkx and networkx on the ties Regis
wrote to DIR (edges.csv: source,target; spec_network.json: nodes, sampled). Times, one run
each:
  igraph:     Graph.betweenness(directed=False), exact (igraph runs on one thread)
  rustworkx:  betweenness_centrality(normalized=True), exact (its own threads, every core)
  networkx:   betweenness_centrality(k=sampled, seed=1), sampled sources
and writes DIR/peer_network.json with the times and igraph's and rustworkx's normalised
betweenness (networkx's normalisation for undirected graphs: 1/((n-1)(n-2)) over ordered
pairs).
Usage: python3 tests/peers/bench_network_peer.py DIR"""
import csv
import json
import os
import sys
import time

import igraph as ig
import networkx as nx
import rustworkx as rx

d = sys.argv[1]
spec = json.load(open(os.path.join(d, "spec_network.json")))
n, k = spec["nodes"], spec["sampled"]
with open(os.path.join(d, "edges.csv")) as f:
    rows = list(csv.reader(f))[1:]
edges = [(int(a), int(b)) for a, b in rows]
out = {}

g = ig.Graph(n=n, edges=edges)
t = time.perf_counter()
raw = g.betweenness(directed=False)
out["igraph_seconds"] = time.perf_counter() - t
scale = 2.0 / ((n - 1) * (n - 2))
out["igraph"] = [x * scale for x in raw]

r = rx.PyGraph()
r.add_nodes_from(range(n))
r.add_edges_from_no_data(edges)
t = time.perf_counter()
bc = rx.betweenness_centrality(r, normalized=True)
out["rustworkx_seconds"] = time.perf_counter() - t
out["rustworkx"] = [bc[i] for i in range(n)]

h = nx.Graph()
h.add_nodes_from(range(n))
h.add_edges_from(edges)
t = time.perf_counter()
nx.betweenness_centrality(h, k=k, seed=1)
out["networkx_sampled_seconds"] = time.perf_counter() - t

with open(os.path.join(d, "peer_network.json"), "w") as f:
    json.dump(out, f)
