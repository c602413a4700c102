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
    traded_local: HashMap<String, (TradedLocal, String)>,
}

/// Whether an industry sells mainly outside its region (traded) or to its residents (local),
/// or is government (public): the split cluster policy targets, after the US Cluster Mapping
/// definitions (Delgado, M., Porter, M.E. and Stern, S. 2016, "Defining clusters of related
/// industries", *Journal of Economic Geography* 16(1), 1-38, doi:10.1093/jeg/lbv017).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradedLocal {
    /// Sells mainly outside the region: a candidate for cluster policy.
    Traded,
    /// Serves the region's residents and firms.
    Local,
    /// Government and other non-market activity.
    Public,
}

impl TradedLocal {
    /// `traded`, `local` or `public` (the JSON and CLI name).
    pub fn as_str(self) -> &'static str {
        match self {
            TradedLocal::Traded => "traded",
            TradedLocal::Local => "local",
            TradedLocal::Public => "public",
        }
    }
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

    /// Flags `code` (and the classes below it that have no flag of their own) as traded, local
    /// or public, with the reason (the rule or judgement behind it).
    pub fn set_traded_local(&mut self, code: &str, flag: TradedLocal, reason: &str) {
        self.traded_local
            .insert(code.to_string(), (flag, reason.to_string()));
    }

    /// The traded/local flag of `code` and its reason: its own, else its nearest ancestor's;
    /// none when the classification has no flag for it.
    ///
    /// ```
    /// use regis_core::industry::{Classification, Industry, TradedLocal};
    /// let mut c = Classification::new("x", "x");
    /// c.add(Industry { code: "C".into(), name_ko: String::new(), name_en: "Manufacturing".into(), parent: None, level: 1 });
    /// c.add(Industry { code: "C1".into(), name_ko: String::new(), name_en: "Food".into(), parent: Some("C".into()), level: 2 });
    /// c.set_traded_local("C", TradedLocal::Traded, "rule");
    /// assert_eq!(c.traded_local("C1").map(|x| x.0), Some(TradedLocal::Traded));
    /// ```
    pub fn traded_local(&self, code: &str) -> Option<(TradedLocal, &str)> {
        let mut at = Some(code.trim().to_string());
        // Bounded by the depth of the hierarchy (a cycle in user data cannot loop forever).
        for _ in 0..32 {
            let c = at?;
            if let Some((flag, why)) = self.traded_local.get(&c) {
                return Some((*flag, why));
            }
            at = self.get(&c).and_then(|i| i.parent.clone());
        }
        None
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
