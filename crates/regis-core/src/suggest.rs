//! Near-miss suggestions for unknown codes and names (edit distance on characters).

/// Levenshtein distance counted in Unicode scalar values, so that one Hangul syllable is one edit.
///
/// ```
/// assert_eq!(regis_core::suggest::edit_distance("11010", "11020"), 1);
/// assert_eq!(regis_core::suggest::edit_distance("서울특별시", "서울시"), 2);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
