//! Small SVG helpers: escaping, number formatting, the font stack.

/// Font stack for SVG text: system UI fonts, then Korean fonts common on office PCs and Linux
/// (Malgun Gothic, Apple SD Gothic Neo, Noto Sans KR/CJK, NanumGothic), then sans-serif.
pub const FONT_STACK: &str = "system-ui, 'Malgun Gothic', '맑은 고딕', 'Apple SD Gothic Neo', 'Noto Sans KR', 'Noto Sans CJK KR', 'NanumGothic', '나눔고딕', sans-serif";

/// Escapes text for XML content and attributes.
///
/// ```
/// assert_eq!(regis_viz::svg::escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number with at most `d` decimals, trailing zeros removed (compact paths).
pub fn num(v: f64, d: usize) -> String {
    let s = format!("{v:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value for labels: thousands separators for large numbers, 3 significant decimals for
/// small ones.
///
/// ```
/// assert_eq!(regis_viz::svg::label(1234567.0), "1,234,567");
/// assert_eq!(regis_viz::svg::label(0.46639), "0.466");
/// ```
pub fn label(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() >= 1000.0 {
        let s = format!("{:.0}", v.abs());
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            format!("-{out}")
        } else {
            out
        }
    } else if v.abs() >= 10.0 {
        num(v, 1)
    } else {
        num(v, 3)
    }
}
