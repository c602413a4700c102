//! Network drawings: a deterministic force-directed layout and its SVG.
//!
//! Layout: Fruchterman & Reingold (1991), "Graph drawing by force-directed placement",
//! *Software: Practice and Experience* 21(11), doi:10.1002/spe.4380211102. Every pair of
//! nodes repels with force `k²/d`, every tie attracts with `d²/k` (`k = √(1/n)` in the unit
//! square); each step moves a node along its net force by at most the temperature, which cools
//! linearly to zero. The start is deterministic (a sunflower: node i at radius `√((i + ½)/n)/2`
//! and angle `i × 137.5°`), so the same network always gets the same drawing; the result is
//! scaled to fill the frame. O(iterations × (n² + m)): readable and quick up to a few hundred
//! nodes, which is what a page shows.

use crate::svg::{escape, num, FONT_STACK};

/// Positions in `[0, 1]²` for `n` nodes tied by `ties` (`(i, j)`; weights are not used).
///
/// ```
/// use regis_viz::network::force_layout;
/// // A lone tie: its two ends are pushed to opposite sides of the frame, symmetrically.
/// let p = force_layout(2, &[(0, 1)], 100);
/// assert!((p[0].0 + p[1].0 - 1.0).abs() < 1e-12 && (p[0].1 + p[1].1 - 1.0).abs() < 1e-12);
/// ```
pub fn force_layout(n: usize, ties: &[(usize, usize)], iterations: usize) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut p: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = ((i as f64 + 0.5) / n as f64).sqrt() / 2.0;
            let a = i as f64 * golden;
            (0.5 + r * a.cos(), 0.5 + r * a.sin())
        })
        .collect();
    let k = (1.0 / n as f64).sqrt();
    let mut shift = vec![(0.0, 0.0); n];
    for step in 0..iterations {
        let temperature = 0.1 * (1.0 - step as f64 / iterations as f64);
        shift.iter_mut().for_each(|s| *s = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
                let d2 = (dx * dx + dy * dy).max(1e-12);
                let f = k * k / d2;
                shift[i].0 += dx * f;
                shift[i].1 += dy * f;
                shift[j].0 -= dx * f;
                shift[j].1 -= dy * f;
            }
        }
        for &(i, j) in ties {
            let (dx, dy) = (p[i].0 - p[j].0, p[i].1 - p[j].1);
            let d = (dx * dx + dy * dy).sqrt();
            let f = d / k;
            shift[i].0 -= dx * f;
            shift[i].1 -= dy * f;
            shift[j].0 += dx * f;
            shift[j].1 += dy * f;
        }
        for (q, s) in p.iter_mut().zip(&shift) {
            let len = (s.0 * s.0 + s.1 * s.1).sqrt();
            if len > 0.0 {
                let m = len.min(temperature) / len;
                q.0 += s.0 * m;
                q.1 += s.1 * m;
            }
        }
    }
    // Fill the frame, keeping the aspect and the centre.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for q in &p {
        x0 = x0.min(q.0);
        x1 = x1.max(q.0);
        y0 = y0.min(q.1);
        y1 = y1.max(q.1);
    }
    let span = (x1 - x0).max(y1 - y0);
    if span <= 0.0 {
        return vec![(0.5, 0.5); n];
    }
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    p.iter()
        .map(|q| (0.5 + (q.0 - cx) / span, 0.5 + (q.1 - cy) / span))
        .collect()
}

/// A node's label, group (its colour) and size in `[0, 1]` (its radius).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeStyle {
    /// Shown on hover and searched by the page.
    pub label: String,
    /// Index into the group names and the palette.
    pub group: usize,
    /// Relative size, 0 to 1.
    pub size: f64,
}

/// Colours by group (colour-blind-safe, Okabe & Ito 2008), cycling.
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

/// The network drawn as SVG: ties as lines, nodes as circles coloured by group and sized by
/// `size`, each with its label as a tooltip (`<title>`) and a `data-label` for search; a
/// legend of the groups.
///
/// ```
/// use regis_viz::network::{network_svg, NodeStyle};
/// let nodes = vec![
///     NodeStyle { label: "KAIST".into(), group: 0, size: 1.0 },
///     NodeStyle { label: "Samsung".into(), group: 1, size: 0.5 },
/// ];
/// let svg = network_svg(&[(0.1, 0.5), (0.9, 0.5)], &[(0, 1)], &nodes,
///     &["university".into(), "firm".into()], "Ties", 400.0, 300.0);
/// assert_eq!(svg.matches("<circle").count(), 2 + 2); // two nodes, two legend swatches
/// assert!(svg.contains("<title>KAIST</title>"));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn network_svg(
    positions: &[(f64, f64)],
    ties: &[(usize, usize)],
    nodes: &[NodeStyle],
    groups: &[String],
    title: &str,
    width: f64,
    height: f64,
) -> String {
    let legend = 22.0 * groups.len().min(12) as f64;
    let (pad, side) = (16.0, (width.min(height - legend) - 32.0).max(10.0));
    let at = |q: (f64, f64)| (pad + q.0 * side, pad + legend + q.1 * side);
    let (w, h) = (num(width, 0), num(height, 0));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" font-family=\"{}\">",
        escape(title),
        escape(FONT_STACK)
    );
    s.push_str(&format!("<title>{}</title>", escape(title)));
    for (k, g) in groups.iter().take(12).enumerate() {
        let x = pad + (k % 4) as f64 * (width - 2.0 * pad) / 4.0;
        let y = 12.0 + (k / 4) as f64 * 18.0;
        s.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            num(x, 1),
            num(y, 1),
            PALETTE[k % PALETTE.len()],
            num(x + 9.0, 1),
            num(y + 4.0, 1),
            escape(g)
        ));
    }
    s.push_str("<g stroke=\"#999\" stroke-opacity=\"0.5\">");
    for &(i, j) in ties {
        let (a, b) = (at(positions[i]), at(positions[j]));
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(a.0, 1),
            num(a.1, 1),
            num(b.0, 1),
            num(b.1, 1)
        ));
    }
    s.push_str("</g><g stroke=\"#fff\" stroke-width=\"0.8\">");
    for (q, node) in positions.iter().zip(nodes) {
        let c = at(*q);
        s.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" data-label=\"{}\"><title>{}</title></circle>",
            num(c.0, 1),
            num(c.1, 1),
            num(3.0 + 9.0 * node.size.clamp(0.0, 1.0), 1),
            PALETTE[node.group % PALETTE.len()],
            escape(&node.label),
            escape(&node.label)
        ));
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cliques_are_drawn_apart_and_the_drawing_is_the_same_every_time() {
        // Two 6-cliques joined by one tie.
        let mut ties = Vec::new();
        for base in [0, 6] {
            for a in base..base + 6 {
                for b in a + 1..base + 6 {
                    ties.push((a, b));
                }
            }
        }
        ties.push((5, 6));
        let p = force_layout(12, &ties, 300);
        assert_eq!(p, force_layout(12, &ties, 300));
        assert!(p.iter().all(
            |q| (-1e-12..=1.0 + 1e-12).contains(&q.0) && (-1e-12..=1.0 + 1e-12).contains(&q.1)
        ));
        let d = |a: usize, b: usize| ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt();
        let mean = |pairs: &[(usize, usize)]| {
            pairs.iter().map(|&(a, b)| d(a, b)).sum::<f64>() / pairs.len() as f64
        };
        let within: Vec<(usize, usize)> = ties
            .iter()
            .copied()
            .filter(|&(a, b)| (a < 6) == (b < 6))
            .collect();
        let across: Vec<(usize, usize)> =
            (0..6).flat_map(|a| (6..12).map(move |b| (a, b))).collect();
        assert!(
            mean(&within) * 2.0 < mean(&across),
            "{} vs {}",
            mean(&within),
            mean(&across)
        );
    }

    #[test]
    fn labels_are_escaped_and_every_node_is_drawn() {
        let nodes: Vec<NodeStyle> = (0..5)
            .map(|k| NodeStyle {
                label: format!("<a&{k}>"),
                group: k % 2,
                size: k as f64 / 4.0,
            })
            .collect();
        let p = force_layout(5, &[(0, 1), (1, 2)], 50);
        let svg = network_svg(
            &p,
            &[(0, 1), (1, 2)],
            &nodes,
            &["u".into(), "f".into()],
            "t",
            500.0,
            400.0,
        );
        assert_eq!(svg.matches("data-label=").count(), 5);
        assert!(svg.contains("&lt;a&amp;3&gt;") && !svg.contains("<a&"));
        assert_eq!(svg.matches("<line").count(), 2);
    }
}
