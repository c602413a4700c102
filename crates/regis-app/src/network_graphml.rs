//! `--format graphml`: the network with each actor's attributes and centralities.

use crate::network::{centrality, ActorNetwork};
use crate::network_groups::Question;
use crate::Result;

/// Escapes text for XML.
fn xml(text: &str) -> String {
    // Control characters are not allowed in XML 1.0: shown as U+FFFD.
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The network as GraphML (Brandes et al. 2002, graphml.graphdrawing.org): one node per
/// actor with its id as `label`, the actors file's columns and the centralities as attributes, one undirected
/// edge per tie with its weight. Gephi, Cytoscape, igraph and networkx read it.
/// Only with `summary` or `centrality`: the other questions' answers are not the network.
pub fn graphml(n: &ActorNetwork, q: &Question) -> Result<String> {
    if !matches!(q, Question::Summary | Question::Centrality) {
        return Err(crate::Error::invalid(
            "bad-format",
            "--format graphml writes the network with its centralities: use it with \
             `regis network centrality`; this question's answer is a table (table, csv, json)",
        ));
    }
    let c = centrality(n)?;
    let mut columns: Vec<&String> = n.attributes.keys().collect();
    columns.sort();
    let numeric = [
        "degree",
        "strength",
        "betweenness",
        "closeness",
        "eigenvector",
        "pagerank",
        "constraint",
        "effective_size",
        "core",
    ];
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    out.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for (k, name) in columns.iter().enumerate() {
        out.push_str(&format!(
            "  <key id=\"a{k}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>\n",
            xml(name)
        ));
    }
    for name in numeric {
        out.push_str(&format!(
            "  <key id=\"{name}\" for=\"node\" attr.name=\"{name}\" attr.type=\"double\"/>\n"
        ));
    }
    out.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    out.push_str("  <graph id=\"regis\" edgedefault=\"undirected\">\n");
    for (v, row) in c.actors.iter().enumerate() {
        out.push_str(&format!(
            "    <node id=\"n{v}\">\n      <data key=\"label\">{}</data>\n",
            xml(&n.actors[v])
        ));
        for (k, name) in columns.iter().enumerate() {
            out.push_str(&format!(
                "      <data key=\"a{k}\">{}</data>\n",
                xml(&n.attributes[*name][v])
            ));
        }
        let values = [
            Some(row.degree as f64),
            Some(row.strength),
            Some(row.betweenness),
            Some(row.closeness),
            Some(row.eigenvector),
            Some(row.pagerank),
            row.constraint,
            row.effective_size,
            Some(row.core as f64),
        ];
        for (name, value) in numeric.iter().zip(values) {
            if let Some(x) = value {
                out.push_str(&format!("      <data key=\"{name}\">{x}</data>\n"));
            }
        }
        out.push_str("    </node>\n");
    }
    let g = &n.network;
    for u in 0..g.nodes() {
        for (&v, &w) in g.neighbours(u).iter().zip(g.tie_weights(u)) {
            if v > u {
                out.push_str(&format!(
                    "    <edge source=\"n{u}\" target=\"n{v}\"><data key=\"weight\">{w}</data></edge>\n"
                ));
            }
        }
    }
    out.push_str("  </graph>\n</graphml>\n");
    Ok(out)
}
