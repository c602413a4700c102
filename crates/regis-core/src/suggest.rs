//! Near-miss suggestions for unknown codes and names (edit distance on characters).

/// Edit distance counted in Unicode scalar values, so that one Hangul syllable is one edit:
/// insertions, deletions, substitutions and swaps of two neighbours (the optimal string
/// alignment distance; "Soeul" is one swap from "Seoul").
///
/// ```
/// assert_eq!(regis_core::suggest::edit_distance("11010", "11020"), 1);
/// assert_eq!(regis_core::suggest::edit_distance("서울특별시", "서울시"), 2);
/// assert_eq!(regis_core::suggest::edit_distance("soeul", "seoul"), 1);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j - 1] + cost)
                .min(d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The candidates closest to `needle` (at most `limit`, only those within a distance of
/// max(1, len/3)), best first, ties in input order.
pub fn closest<'a, I>(needle: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let n = needle.to_lowercase();
    let budget = (n.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, String)> = candidates
        .into_iter()
        .map(|c| (edit_distance(&n, &c.to_lowercase()), c.to_string()))
        .filter(|(d, _)| *d <= budget)
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}
