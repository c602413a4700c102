//! SKATER: a minimum spanning forest of the contiguity graph cut into a given number of
//! regions, the best cut per tree kept and only the cut tree re-scored.

use regis_core::Diagnostic;

use super::*;

/// Settings of [`skater`].
#[derive(Debug, Clone, PartialEq)]
pub struct SkaterOptions {
    /// Number of regions wanted. When the map has separate parts (islands), each part beyond
    /// the first adds one region unless `islands_count` is set (then they count towards it).
    /// spopt's `islands="increase"` adds one per part including the first.
    pub regions: usize,
    /// Smallest region allowed, in the floor attribute (the number of areas when none is
    /// given, as spopt's `floor`).
    pub floor: f64,
    /// Whether separate parts of the map count towards `regions`.
    pub islands_count: bool,
}

/// SKATER: a given number of contiguous regions, cut from the minimum spanning tree of the
/// contiguity graph weighted by attribute dissimilarity.
///
/// Method (Assunção, Neves, Câmara & da Costa Freitas 2006, as in `spopt`'s `Skater`): weight
/// each contiguity link by the city-block distance of its two areas' attributes; take the
/// minimum spanning forest (Kruskal); then, while there are fewer trees than `regions`, remove
/// the one tree edge whose removal lowers the map's dissimilarity most, where the
/// dissimilarity of a region is `Σ_i Σ_a |x_ia − mean_a|` and both new regions must reach the
/// floor; stop early (with a diagnostic) when no edge can be cut. Separate parts of the map
/// below the floor are left out (None) with a diagnostic.
/// Only the tree that was cut needs new candidate cuts, so each step costs `O(m² k)` for the
/// `m` areas of that tree instead of spopt's re-scoring of the whole map for every edge.
/// Reference: Assunção, R. M., Neves, M. C., Câmara, G. & da Costa Freitas, C. (2006) Efficient
/// regionalization techniques for socio-economic geographical units using minimum spanning
/// trees, *IJGIS* 20(7), 797-811, doi:10.1080/13658810600665111.
/// Complexity: O(E log E) for the tree, O(m² k) per cut.
///
/// ```
/// use regis_methods::regionalisation::{skater, SkaterOptions};
/// use regis_methods::spatial::Weights;
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3, 5], vec![4]]);
/// let x = [1.0, 1.1, 1.2, 7.0, 7.1, 7.3];
/// let opts = SkaterOptions { regions: 2, floor: 1.0, islands_count: false };
/// let r = skater(&w, &x, 1, None, &opts).unwrap();
/// assert_eq!(r.labels.iter().map(|l| l.unwrap()).collect::<Vec<_>>(), [0, 0, 0, 1, 1, 1]);
/// // |1.0−1.1| + |1.2−1.1| = 0.2 and |7.0−7.1333| + |7.1−7.1333| + |7.3−7.1333| = 1/3.
/// assert!((r.objective - (0.2 + 1.0 / 3.0)).abs() < 1e-12);
/// ```
pub fn skater(
    w: &Weights,
    attributes: &[f64],
    k: usize,
    floor_values: Option<&[f64]>,
    options: &SkaterOptions,
) -> Result<Regions, RegionalisationError> {
    let n = w.n();
    check_attributes(n, attributes, k)?;
    let ones = vec![1.0; n];
    let floor_values = floor_values.unwrap_or(&ones);
    if floor_values.len() != n || floor_values.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(input(format!(
            "floor values: expected {n} finite values ≥ 0"
        )));
    }
    if options.regions == 0 {
        return Err(input("regions: expected at least 1".into()));
    }
    let mut diagnostics = Vec::new();
    // Minimum spanning forest (Kruskal with union-find).
    let mut edges: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n {
        for &(j, _) in w.row(i) {
            if i < j {
                edges.push((cityblock(attributes, k, i, j), i, j));
            }
        }
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut tree: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(_, i, j) in &edges {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a] = b;
            tree[i].push(j);
            tree[j].push(i);
        }
    }
    // Trees = current regions.
    let mut label = vec![usize::MAX; n];
    let mut trees: Vec<Vec<usize>> = Vec::new();
    for s in 0..n {
        if label[s] != usize::MAX {
            continue;
        }
        let t = trees.len();
        let mut m = vec![s];
        label[s] = t;
        let mut at = 0;
        while at < m.len() {
            let u = m[at];
            for &v in &tree[u] {
                if label[v] == usize::MAX {
                    label[v] = t;
                    m.push(v);
                }
            }
            at += 1;
        }
        trees.push(m);
    }
    // Separate parts of the map below the floor cannot hold a region: left out.
    let (kept, small): (Vec<Vec<usize>>, Vec<Vec<usize>>) = trees
        .into_iter()
        .partition(|m| m.iter().map(|&i| floor_values[i]).sum::<f64>() >= options.floor);
    let mut trees = kept;
    if trees.is_empty() {
        return Err(input(format!(
            "no connected part of the map reaches the floor {}",
            options.floor
        )));
    }
    if !small.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "infeasible-component",
            format!(
                "{} area(s) lie in {} separate part(s) of the map below the floor {}; they are left out",
                small.iter().map(Vec::len).sum::<usize>(),
                small.len(),
                options.floor
            ),
        ));
    }
    let mut target = options.regions;
    if trees.len() > 1 {
        if !options.islands_count {
            target += trees.len() - 1;
        }
        diagnostics.push(Diagnostic::info(
            "islands",
            format!(
                "the map has {} separate parts; {} regions are made in all",
                trees.len(),
                target.max(trees.len())
            ),
        ));
    }
    let sk = Skater {
        x: attributes,
        k,
        floor_values,
        floor: options.floor,
    };
    let mut scores: Vec<f64> = trees.iter().map(|m| sk.score(m)).collect();
    let mut best_cuts: Vec<Option<Cut>> = trees.iter().map(|m| sk.best_cut(m, &tree)).collect();
    while trees.len() < target {
        let Some((t, cut)) = best_cuts
            .iter()
            .enumerate()
            .filter_map(|(t, c)| c.as_ref().map(|c| (t, c.clone())))
            .min_by(|a, b| {
                (a.1.a_score + a.1.b_score - scores[a.0])
                    .total_cmp(&(b.1.b_score + b.1.a_score - scores[b.0]))
            })
        else {
            diagnostics.push(Diagnostic::warning(
                "no-valid-cut",
                format!(
                    "only {} regions: no further cut leaves both parts at or above the floor {}",
                    trees.len(),
                    options.floor
                ),
            ));
            break;
        };
        // Remove the edge; the child's side becomes a new tree.
        tree[cut.parent].retain(|&v| v != cut.child);
        tree[cut.child].retain(|&v| v != cut.parent);
        let new = trees.len();
        let (a, b): (Vec<usize>, Vec<usize>) = {
            let mut side = vec![cut.child];
            let mut seen = std::collections::HashSet::from([cut.child]);
            let mut at = 0;
            while at < side.len() {
                let u = side[at];
                for &v in &tree[u] {
                    if seen.insert(v) {
                        side.push(v);
                    }
                }
                at += 1;
            }
            let rest = trees[t]
                .iter()
                .copied()
                .filter(|i| !seen.contains(i))
                .collect();
            (side, rest)
        };
        scores[t] = cut.b_score;
        scores.push(cut.a_score);
        trees[t] = b;
        trees.push(a);
        best_cuts[t] = sk.best_cut(&trees[t], &tree);
        best_cuts.push(sk.best_cut(&trees[new], &tree));
    }
    let mut labels = vec![None; n];
    let mut totals = Vec::with_capacity(trees.len());
    // Regions numbered by their first area, for a stable order.
    let mut order: Vec<usize> = (0..trees.len()).collect();
    order.sort_by_key(|&t| trees[t].iter().copied().min().unwrap_or(0));
    for (r, &t) in order.iter().enumerate() {
        for &i in &trees[t] {
            labels[i] = Some(r);
        }
        totals.push(trees[t].iter().map(|&i| floor_values[i]).sum());
    }
    Ok(Regions {
        regions: trees.len(),
        labels,
        objective: scores.iter().sum(),
        totals,
        diagnostics,
    })
}

#[derive(Debug, Clone)]
struct Cut {
    parent: usize,
    child: usize,
    /// Dissimilarity of the child's side.
    a_score: f64,
    /// Dissimilarity of the rest.
    b_score: f64,
}

struct Skater<'a> {
    x: &'a [f64],
    k: usize,
    floor_values: &'a [f64],
    floor: f64,
}

impl Skater<'_> {
    /// `Σ_i Σ_a |x_ia − mean_a|` over the members.
    fn score(&self, members: &[usize]) -> f64 {
        self.score_iter(members.iter().copied(), members.len())
    }

    fn score_iter(&self, members: impl Iterator<Item = usize> + Clone, count: usize) -> f64 {
        if count == 0 {
            return 0.0;
        }
        let k = self.k;
        let mut mean = vec![0.0; k];
        for i in members.clone() {
            for (m, v) in mean.iter_mut().zip(&self.x[i * k..(i + 1) * k]) {
                *m += v;
            }
        }
        for m in mean.iter_mut() {
            *m /= count as f64;
        }
        members
            .map(|i| {
                self.x[i * k..(i + 1) * k]
                    .iter()
                    .zip(&mean)
                    .map(|(v, m)| (v - m).abs())
                    .sum::<f64>()
            })
            .sum()
    }

    /// The best feasible cut of one tree (lowest sum of the two sides' dissimilarity), if any.
    fn best_cut(&self, members: &[usize], tree: &[Vec<usize>]) -> Option<Cut> {
        if members.len() < 2 {
            return None;
        }
        // Root at the first member; preorder so that every subtree is a contiguous range.
        let root = members[0];
        let mut pre = Vec::with_capacity(members.len());
        let mut parent_of = std::collections::HashMap::with_capacity(members.len());
        let mut size = std::collections::HashMap::with_capacity(members.len());
        let mut stack = vec![(root, usize::MAX)];
        while let Some((u, p)) = stack.pop() {
            parent_of.insert(u, p);
            pre.push(u);
            for &v in tree[u].iter().rev() {
                if v != p {
                    stack.push((v, u));
                }
            }
        }
        for &u in pre.iter().rev() {
            let s = 1 + tree[u]
                .iter()
                .filter(|&&v| v != parent_of[&u])
                .map(|v| size[v])
                .sum::<usize>();
            size.insert(u, s);
        }
        let position: std::collections::HashMap<usize, usize> =
            pre.iter().enumerate().map(|(p, &u)| (u, p)).collect();
        let total_floor: f64 = members.iter().map(|&i| self.floor_values[i]).sum();
        let mut best: Option<Cut> = None;
        for &child in &pre[1..] {
            let (start, len) = (position[&child], size[&child]);
            let side = &pre[start..start + len];
            let side_floor: f64 = side.iter().map(|&i| self.floor_values[i]).sum();
            if side_floor < self.floor || total_floor - side_floor < self.floor {
                continue;
            }
            let a_score = self.score(side);
            let rest = pre[..start].iter().chain(&pre[start + len..]).copied();
            let b_score = self.score_iter(rest, pre.len() - len);
            if best
                .as_ref()
                .is_none_or(|b| a_score + b_score < b.a_score + b.b_score)
            {
                best = Some(Cut {
                    parent: parent_of[&child],
                    child,
                    a_score,
                    b_score,
                });
            }
        }
        best
    }
}
