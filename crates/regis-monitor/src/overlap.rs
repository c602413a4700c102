//! Detection of overlapping projects across ministries and programmes: two projects overlap when
//! they target the same region and industry in overlapping years and their titles and
//! objectives are similar. Text similarity is the cosine of character-bigram counts, which
//! works for Korean (no word segmentation needed) and English alike (Kondrak, G. (2005)
//! N-gram similarity and distance, *SPIRE 2005*, doi:10.1007/11575832_13).

use std::collections::HashMap;

use crate::model::Project;

/// Character bigrams of a text, lower-cased, whitespace and punctuation removed.
fn bigrams(text: &str) -> HashMap<(char, char), f64> {
    let chars: Vec<char> = text
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut out = HashMap::new();
    for w in chars.windows(2) {
        *out.entry((w[0], w[1])).or_insert(0.0) += 1.0;
    }
    out
}

/// Cosine similarity of the character-bigram profiles of two texts (0 to 1).
///
/// ```
/// use regis_monitor::overlap::text_similarity;
/// assert!(text_similarity("수소 연료전지 실증 지원", "수소연료전지 실증사업 지원") > 0.7);
/// assert!(text_similarity("수소 연료전지 실증 지원", "관광 콘텐츠 마케팅") < 0.1);
/// ```
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    let dot: f64 = x.iter().filter_map(|(k, v)| y.get(k).map(|w| v * w)).sum();
    let nx = x.values().map(|v| v * v).sum::<f64>().sqrt();
    let ny = y.values().map(|v| v * v).sum::<f64>().sqrt();
    if nx == 0.0 || ny == 0.0 {
        0.0
    } else {
        dot / (nx * ny)
    }
}

/// A flagged pair with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlapPair {
    /// First project id.
    pub a: i64,
    /// Second project id.
    pub b: i64,
    /// Same region.
    pub same_region: bool,
    /// Same industry.
    pub same_industry: bool,
    /// Years both run.
    pub shared_years: (i32, i32),
    /// Title similarity.
    pub title_similarity: f64,
    /// Objective similarity.
    pub objective_similarity: f64,
}

/// Pairs of projects sharing a region (lead or partner) and the industry, with overlapping
/// years, whose title or objective similarity reaches `threshold` (0.5 is a reasonable
/// default). O(n²) pairs, grouped by region and industry first (a cooperation project is in
/// the group of each of its regions; a pair is reported once).
pub fn find_overlaps(projects: &[Project], threshold: f64) -> Vec<OverlapPair> {
    let mut groups: HashMap<(&str, &str), Vec<&Project>> = HashMap::new();
    for p in projects {
        for r in p.regions() {
            groups.entry((r, p.industry.as_str())).or_default().push(p);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for ps in groups.values() {
        for (k, a) in ps.iter().enumerate() {
            for b in &ps[k + 1..] {
                if !seen.insert((a.id.min(b.id), a.id.max(b.id))) {
                    continue;
                }
                let (from, to) = (a.start_year.max(b.start_year), a.end_year.min(b.end_year));
                if from > to {
                    continue;
                }
                let ts = text_similarity(&a.title, &b.title);
                let os = text_similarity(&a.objective, &b.objective);
                if ts.max(os) >= threshold {
                    let (x, y) = if a.id < b.id { (a, b) } else { (b, a) };
                    out.push(OverlapPair {
                        a: x.id,
                        b: y.id,
                        same_region: true,
                        same_industry: true,
                        shared_years: (from, to),
                        title_similarity: ts,
                        objective_similarity: os,
                    });
                }
            }
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}
