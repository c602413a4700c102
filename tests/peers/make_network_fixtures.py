"""Peer fixtures for the network measures (issue 17): networkx, igraph and rustworkx on the
graphs networkx ships (the same ties Regis reads from the fixture).

Graphs:
  karate      - Zachary's karate club (34 members, 78 ties), with each member's club
                after the split (`club`: Mr. Hi / Officer) as the nominal attribute
  florentine  - Padgett's Florentine families' marriages (15 families, 20 ties)
  lesmis      - co-appearances of the characters of Les Miserables (77, 254 ties,
                weighted by the number of chapters), Knuth's Stanford GraphBase
Run from the repository root, in a virtual environment with networkx 3.6.1, igraph 1.0.0,
rustworkx 0.18.1 and a numpy/scipy pair that match (networkx's PageRank and eigenvector use
scipy): python3 -m venv /tmp/net && /tmp/net/bin/pip install networkx igraph rustworkx numpy
scipy && /tmp/net/bin/python tests/peers/make_network_fixtures.py
Writes crates/regis-methods/tests/fixtures/network_peers.json, and the karate club as the files
`regis network` reads (tests/inputs/network_karate_edges.csv and _actors.csv).

networkx's defaults are the reference: betweenness normalised for undirected graphs, closeness
with wf_improved, eigenvector centrality by eigenvector_centrality_numpy (unweighted),
PageRank alpha 0.85 over the weights with a tolerance of 1e-15, constraint and effective size
over the weights (weight="weight"; on unweighted graphs every weight is 1). igraph and
rustworkx give betweenness too: the three must agree before the fixture is written.
"""
import json

import igraph as ig
import networkx as nx
import rustworkx as rx

graphs = {
    "karate": nx.karate_club_graph(),
    "florentine": nx.florentine_families_graph(),
    "lesmis": nx.les_miserables_graph(),
}


def weighted(name):
    return name == "lesmis"


out = {"peers": {"networkx": nx.__version__, "igraph": ig.__version__, "rustworkx": rx.__version__}, "graphs": {}}
for name, g in graphs.items():
    nodes = list(g.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    w = "weight" if weighted(name) else None
    edges = [[index[a], index[b], float(d.get("weight", 1.0)) if w else 1.0] for a, b, d in g.edges(data=True)]
    if not w:
        for a, b in g.edges():
            g[a][b].pop("weight", None)
    bc = nx.betweenness_centrality(g)
    # igraph and rustworkx on the same ties.
    h = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    n = len(nodes)
    bc_ig = [x / ((n - 1) * (n - 2) / 2) for x in h.betweenness(directed=False)]
    r = rx.PyGraph()
    r.add_nodes_from(range(n))
    r.add_edges_from([(a, b, 1.0) for a, b, _ in edges])
    bc_rx = rx.betweenness_centrality(r, normalized=True)
    for i, v in enumerate(nodes):
        assert abs(bc[v] - bc_ig[i]) < 1e-12, (name, v, bc[v], bc_ig[i])
        assert abs(bc[v] - bc_rx[i]) < 1e-12, (name, v, bc[v], bc_rx[i])
    ev = nx.eigenvector_centrality_numpy(g)
    pr = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-15, max_iter=100000)
    case = {
        "nodes": [str(v) for v in nodes],
        "edges": edges,
        "density": nx.density(g),
        "components": nx.number_connected_components(g),
        "transitivity": nx.transitivity(g),
        "average_clustering": nx.average_clustering(g),
        "degree_assortativity": nx.degree_assortativity_coefficient(g),
        "betweenness": [bc[v] for v in nodes],
        "closeness": [nx.closeness_centrality(g)[v] for v in nodes],
        "eigenvector": [ev[v] for v in nodes],
        "pagerank": [pr[v] for v in nodes],
        "clustering": [nx.clustering(g)[v] for v in nodes],
        "core": [nx.core_number(g)[v] for v in nodes],
        "constraint": [nx.constraint(g, weight=w)[v] for v in nodes],
        # nodes= given: networkx 3.6.1's all-nodes sparse path for weighted graphs divides
        # each mutual weight m_vw by the maximum of w's ties, not v's (a 1-D row maximum
        # broadcast along rows), which is not Burt's definition; its per-node path is.
        "effective_size": [nx.effective_size(g, nodes=nodes, weight=w)[v] for v in nodes],
        "strength": [g.degree(v, weight="weight") if w else g.degree(v) for v in nodes],
    }
    if name == "karate":
        clubs = sorted({g.nodes[v]["club"] for v in nodes})
        case["groups"] = [clubs.index(g.nodes[v]["club"]) for v in nodes]
        case["group_names"] = clubs
        case["type_assortativity"] = nx.attribute_assortativity_coefficient(g, "club")
        m = nx.attribute_mixing_matrix(g, "club", mapping={c: i for i, c in enumerate(clubs)}, normalized=False)
        case["mixing_matrix"] = [float(x) for x in m.flatten()]
    out["graphs"][name] = case

import csv

karate = nx.karate_club_graph()
with open("tests/inputs/network_karate_edges.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["source", "target", "weight"])
    for a, b, d in karate.edges(data=True):
        w.writerow([f"member{a + 1:02d}", f"member{b + 1:02d}", d["weight"]])
with open("tests/inputs/network_karate_actors.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["actor", "club"])
    for v in karate:
        w.writerow([f"member{v + 1:02d}", karate.nodes[v]["club"]])

with open("crates/regis-methods/tests/fixtures/network_peers.json", "w") as f:
    json.dump(out, f, indent=1)
print({k: (len(v["nodes"]), len(v["edges"])) for k, v in out["graphs"].items()})
print("karate degree assortativity", out["graphs"]["karate"]["degree_assortativity"])
print("Medici betweenness", out["graphs"]["florentine"]["betweenness"][out["graphs"]["florentine"]["nodes"].index("Medici")])
