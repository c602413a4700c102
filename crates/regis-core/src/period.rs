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
    /// `2001년`, `2001p` (KOSIS provisional mark), `2001 / population` (a year over the label
    /// of a merged header). Returns `None` for anything else, including years outside
    /// 1800..=2200.
    ///
    /// ```
    /// use regis_core::Period;
    /// assert_eq!(Period::parse("2001 년"), Some(Period(2001)));
    /// assert_eq!(Period::parse("2015.0"), Some(Period(2015)));
    /// assert_eq!(Period::parse("2017 p)"), Some(Period(2017)));
    /// assert_eq!(Period::parse("region"), None);
    /// assert_eq!(Period::parse("2019 / population"), Some(Period(2019)));
    /// assert_eq!(Period::parse("2015/16"), None);
    /// assert_eq!(Period::parse("2015년 03월"), None); // a month: see `sub_annual`
    /// ```
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.len() != 4 {
            return None;
        }
        if Period::sub_annual(t).is_some() {
            return None;
        }
        let rest = t[digits.len()..].trim();
        let rest_ok = rest.is_empty()
            || rest.chars().all(|c| c == '0' || c == '.')
            || rest.starts_with('년')
            || rest.starts_with('p')
            || rest.starts_with('P')
            || rest.starts_with('(')
            || rest.starts_with("/ ");
        if !rest_ok {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        (1800..=2200).contains(&year).then_some(Period(year))
    }
}

impl Period {
    /// Whether a text is a period shorter than a year, and which: `"month"` (`2015-03`,
    /// `2015.03`, `2015/03`, `201503`, `2015년 03월`, `2015M03`), `"quarter"` (`2015Q1`,
    /// `2015 Q1`, `2015-Q1`, `2015년 1분기`), `"half-year"` (`2015H1`, `2015 상반기`) or `"day"`
    /// (`2015-03-01`, Excel date cells). Regis panels are annual: importers refuse these
    /// with advice to aggregate rather than read them as their year.
    ///
    /// ```
    /// use regis_core::Period;
    /// assert_eq!(Period::sub_annual("2015-03"), Some("month"));
    /// assert_eq!(Period::sub_annual("2015년 03월"), Some("month"));
    /// assert_eq!(Period::sub_annual("2015Q1"), Some("quarter"));
    /// assert_eq!(Period::sub_annual("2015-03-01"), Some("day"));
    /// assert_eq!(Period::sub_annual("2015"), None);
    /// assert_eq!(Period::sub_annual("2015.0"), None);
    /// ```
    pub fn sub_annual(text: &str) -> Option<&'static str> {
        let t = text.trim();
        let year: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if year.len() == 6 && t.len() == 6 {
            let m: u32 = t[4..].parse().ok()?;
            let y: i32 = t[..4].parse().ok()?;
            return ((1..=12).contains(&m) && (1800..=2200).contains(&y)).then_some("month");
        }
        if year.len() != 4 {
            return None;
        }
        let rest: String = t[4..]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let rest = rest.trim_start_matches('년');
        let sep = rest.trim_start_matches(['-', '.', '/', '_']);
        let digits_of = |s: &str| -> (String, String) {
            let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
            let after = s[d.len()..].to_string();
            (d, after)
        };
        if let Some(q) = sep.strip_prefix('Q') {
            return matches!(q, "1" | "2" | "3" | "4").then_some("quarter");
        }
        if let Some(h) = sep.strip_prefix('H') {
            return matches!(h, "1" | "2").then_some("half-year");
        }
        if let Some(m) = sep.strip_prefix('M') {
            let (d, after) = digits_of(m);
            return (!d.is_empty() && after.is_empty()).then_some("month");
        }
        if sep.starts_with("상반기") || sep.starts_with("하반기") {
            return Some("half-year");
        }
        let (d, after) = digits_of(sep);
        if d.is_empty() || d.len() > 2 {
            return None;
        }
        // `2015 1분기` needs no separator; a month or day does (`2015 3` is not a period).
        let separated = sep.len() < rest.len() || t[4..].trim_start().starts_with('년');
        if !separated && !after.starts_with("분기") {
            return None;
        }
        let n: u32 = d.parse().ok()?;
        let after = after.as_str();
        if after.starts_with("분기") {
            return (1..=4).contains(&n).then_some("quarter");
        }
        if !(1..=12).contains(&n) {
            return None;
        }
        if after.is_empty() || after == "월" {
            return Some("month");
        }
        let day = after
            .trim_start_matches('월')
            .trim_start_matches(['-', '.', '/']);
        let (dd, tail) = digits_of(day);
        if !dd.is_empty()
            && dd.len() <= 2
            && (tail.is_empty()
                || tail.starts_with('T')
                || tail == "일"
                || tail.starts_with(':')
                || tail.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            return Some("day");
        }
        None
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Period;

    #[test]
    fn sub_annual_periods_are_recognised_and_not_read_as_years() {
        for (t, kind) in [
            ("2015-03", "month"),
            ("2015.03", "month"),
            ("2015/3", "month"),
            ("201503", "month"),
            ("2015년 03월", "month"),
            ("2015년03월", "month"),
            ("2015M03", "month"),
            ("2015Q1", "quarter"),
            ("2015 Q4", "quarter"),
            ("2015-q2", "quarter"),
            ("2015년 1분기", "quarter"),
            ("2015 1분기", "quarter"),
            ("2015H2", "half-year"),
            ("2015 상반기", "half-year"),
            ("2015-03-01", "day"),
            ("2015-03-01T12:00:00", "day"),
        ] {
            assert_eq!(Period::sub_annual(t), Some(kind), "{t}");
            assert_eq!(Period::parse(t), None, "{t}");
        }
        for t in [
            "2015", "2015.0", "2015 년", "2015년", "2017 p)", "2015p", "region", "2015.00",
        ] {
            assert_eq!(Period::sub_annual(t), None, "{t}");
        }
        assert_eq!(Period::parse("2015 년"), Some(Period(2015)));
    }
}
