//! An axis's unit: values in a measure's unit (`million KRW`, `persons`) shown on a scale
//! people read at a glance — 조원/억원 and 만 명 in Korean, trillion/billion KRW and
//! million/thousand persons in English — with the unit written on the axis.

/// How an axis shows values: divide by `divisor`, and say `unit`.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisScale {
    /// What the values are divided by before they are labelled.
    pub divisor: f64,
    /// The unit of the labelled values, in the chart's language (empty: none said).
    pub unit: String,
    /// Whether the chart is Korean (the caption's word for "unit").
    pub korean: bool,
}

impl AxisScale {
    /// Values as they are, no unit written.
    pub fn plain() -> AxisScale {
        AxisScale {
            divisor: 1.0,
            unit: String::new(),
            korean: false,
        }
    }

    /// The caption written above the axis ("단위: 조원", "trillion KRW"); empty without a
    /// unit.
    pub fn caption(&self) -> String {
        match (self.unit.is_empty(), self.korean) {
            (true, _) => String::new(),
            (false, true) => format!("단위: {}", self.unit),
            (false, false) => self.unit.clone(),
        }
    }
}

/// The scale of an axis whose largest absolute value is `max_abs` in `unit` (as stored:
/// `million KRW`, `KRW`, `thousand KRW`, `persons`, `count`, possibly with a price-basis
/// suffix in parentheses), for a Korean or English chart. Money goes up to the largest of
/// 백만원/억원/조원 (million/billion/trillion KRW) that the largest value reaches; counts to
/// 만/억 (thousand/million); any other unit (index, share, %) is shown as it is.
///
/// ```
/// use regis_viz::axis::axis_scale;
/// // Seoul's GRDP, about 4.2e8 million KRW: 420 조원, 420 trillion KRW.
/// let ko = axis_scale(4.2e8, "million KRW", true);
/// assert_eq!((ko.divisor, ko.caption().as_str()), (1e6, "단위: 조원"));
/// let en = axis_scale(4.2e8, "million KRW (2010 chained)", false);
/// assert_eq!((en.divisor, en.unit.as_str()), (1e6, "trillion KRW (2010 chained)"));
/// // A district's GRDP of 3,500,000 million KRW: 3.5 조원; 80,000 million KRW: 800 억원.
/// assert_eq!(axis_scale(8e4, "million KRW", true).unit, "억원");
/// assert_eq!(axis_scale(8e4, "million KRW", false).unit, "billion KRW");
/// // People: 9.6 million, 960 만 명.
/// let p = axis_scale(9.6e6, "persons", true);
/// assert_eq!((p.divisor, p.unit.as_str()), (1e4, "만 명"));
/// assert_eq!(axis_scale(9.6e6, "persons", false).unit, "million persons");
/// assert_eq!(axis_scale(600.0, "persons", false).unit, "persons");
/// // An index stays as it is.
/// assert_eq!(axis_scale(2.5, "index", false).divisor, 1.0);
/// ```
pub fn axis_scale(max_abs: f64, unit: &str, korean: bool) -> AxisScale {
    let (base, suffix) = match unit.find(" (") {
        Some(i) => (&unit[..i], &unit[i..]),
        None => (unit, ""),
    };
    let suffix_ko = suffix.replace(" chained)", "년 연쇄가격)");
    let money = match base {
        "KRW" | "원" => Some(1.0),
        "thousand KRW" | "천원" => Some(1e3),
        "million KRW" | "백만원" => Some(1e6),
        _ => None,
    };
    let steps: &[(f64, &str, &str)] = if money.is_some() {
        &[
            (1e12, "조원", "trillion KRW"),
            (1e9, "", "billion KRW"),
            (1e8, "억원", ""),
            (1e6, "백만원", "million KRW"),
            (1e3, "천원", "thousand KRW"),
            (1.0, "원", "KRW"),
        ]
    } else {
        match base {
            "persons" | "명" => &[
                (1e8, "억 명", ""),
                (1e6, "", "million persons"),
                (1e4, "만 명", ""),
                (1e3, "", "thousand persons"),
                (1.0, "명", "persons"),
            ],
            "count" | "개" => &[
                (1e8, "억 개", ""),
                (1e6, "", "million"),
                (1e4, "만 개", ""),
                (1e3, "", "thousand"),
                (1.0, "개", "count"),
            ],
            _ => {
                return AxisScale {
                    divisor: 1.0,
                    unit: unit.to_string(),
                    korean,
                }
            }
        }
    };
    let base_value = money.unwrap_or(1.0);
    let value = max_abs.abs() * base_value;
    let step = steps
        .iter()
        .filter(|s| !(if korean { s.1 } else { s.2 }).is_empty())
        .filter(|s| s.0 >= base_value)
        .find(|s| value >= s.0)
        .or_else(|| {
            steps
                .iter()
                .rev()
                .find(|s| s.0 >= base_value && !(if korean { s.1 } else { s.2 }).is_empty())
        })
        .copied()
        .unwrap_or((1.0, "", ""));
    AxisScale {
        divisor: step.0 / base_value,
        unit: if korean {
            format!("{}{suffix_ko}", step.1)
        } else {
            format!("{}{suffix}", step.2)
        },
        korean,
    }
}
