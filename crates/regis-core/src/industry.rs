//! Industry classifications with hierarchies, and concordances between them.

use std::collections::HashMap;

/// One class of an industry classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Industry {
    /// Code within the classification (`C`, `26`, `26110`, `grdp_mfg`).
    pub code: String,
    /// Korean (or local-language) name.
    pub name_ko: String,
    /// English name (may be empty when the source has none).
    pub name_en: String,
    /// Code of the parent class, if any.
    pub parent: Option<String>,
    /// Depth in the hierarchy, 1 = top.
    pub level: u8,
}

/// A classification: KSIC 9th or 10th revision, the KOSIS GRDP activity list, the 18 si-gun-gu
/// industry groups, NAICS 2012, or a user's list.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    /// Short id (`ksic10`, `kosis_grdp`, `sgis18`, `naics2012`).
    pub id: String,
    /// Human name.
    pub name: String,
    industries: Vec<Industry>,
    index: HashMap<String, usize>,
}

impl Classification {
    /// An empty classification.
    pub fn new(id: &str, name: &str) -> Self {
        Classification {
            id: id.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    /// Adds a class; a code already present is replaced.
    pub fn add(&mut self, industry: Industry) {
        if let Some(&i) = self.index.get(&industry.code) {
            self.industries[i] = industry;
        } else {
            self.index
                .insert(industry.code.clone(), self.industries.len());
            self.industries.push(industry);
        }
    }

    /// All classes in insertion order.
    pub fn industries(&self) -> &[Industry] {
        &self.industries
    }

    /// One class by code.
    pub fn get(&self, code: &str) -> Option<&Industry> {
        self.index.get(code.trim()).map(|&i| &self.industries[i])
    }

    /// Finds a class by code, or by exact Korean or English name (whitespace-insensitive).
    pub fn find(&self, text: &str) -> Option<&Industry> {
        if let Some(i) = self.get(text) {
            return Some(i);
        }
        let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let key = key.to_lowercase();
        self.industries.iter().find(|i| {
            let ko: String = i.name_ko.chars().filter(|c| !c.is_whitespace()).collect();
            let en: String = i.name_en.chars().filter(|c| !c.is_whitespace()).collect();
            ko.to_lowercase() == key || (!en.is_empty() && en.to_lowercase() == key)
        })
    }

    /// Children of a class.
    pub fn children(&self, code: &str) -> Vec<&Industry> {
        self.industries
            .iter()
            .filter(|i| i.parent.as_deref() == Some(code))
            .collect()
    }
}

/// A link of a concordance: share `weight` of `from` goes to `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcordanceLink {
    /// Source code.
    pub from: String,
    /// Target code.
    pub to: String,
    /// Share of the source assigned to the target; the weights of one source sum to 1.
    pub weight: f64,
}

/// A concordance between two classifications (e.g. KSIC 9 -> KSIC 10 at 5 digits).
#[derive(Debug, Clone, Default)]
pub struct Concordance {
    /// Source classification id.
    pub from: String,
    /// Target classification id.
    pub to: String,
    /// Links.
    pub links: Vec<ConcordanceLink>,
}

impl Concordance {
    /// Targets of one source code.
    pub fn targets(&self, from: &str) -> Vec<&ConcordanceLink> {
        self.links.iter().filter(|l| l.from == from).collect()
    }
}
