//! Periods. Regis panels are annual; a period is a calendar year.

use std::fmt;

/// A calendar year, the time unit of every panel and flow matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period(pub i32);

impl Period {
    /// The year as an integer.
    pub fn year(self) -> i32 {
        self.0
    }

    /// Parses the spellings of a year found in real files: `2001`, `2001.0`, `2001 년`,
    /// `2001년`, `2001p` (KOSIS provisional mark). Returns `None` for anything else, including
    /// years outside 1800..=2200.
    ///
    /// ```
    /// use regis_core::Period;
    /// assert_eq!(Period::parse("2001 년"), Some(Period(2001)));
    /// assert_eq!(Period::parse("2015.0"), Some(Period(2015)));
    /// assert_eq!(Period::parse("2017 p)"), Some(Period(2017)));
    /// assert_eq!(Period::parse("region"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() != 4 {
            return None;
        }
        let rest = t[digits.len()..].trim();
        let rest_ok = rest.is_empty()
            || rest.chars().all(|c| c == '0' || c == '.')
            || rest.starts_with('년')
            || rest.starts_with('p')
            || rest.starts_with('P')
            || rest.starts_with('(');
        if !rest_ok {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        (1800..=2200).contains(&year).then_some(Period(year))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
