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

/// The width in pixels that `s` takes at `size` px, estimated from its characters: Hangul and
/// other wide scripts a full em, Latin capitals and wide letters 0.76 em, other letters and
/// digits 0.62 em (DejaVu Sans, a wide default, measures about 0.6), spaces and narrow
/// punctuation 0.33 em. It errs wide (most fonts' glyphs are
/// narrower), so text placed with it is not clipped.
///
/// ```
/// use regis_viz::svg::text_width;
/// assert!((text_width("지도", 12.0) - 24.0).abs() < 1e-9);
/// assert!(text_width("Mining", 12.0) > 30.0);
/// ```
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            let em = if c.is_whitespace() || ".,:;'|!il()[]".contains(c) {
                0.33
            } else if (c as u32) >= 0x1100 {
                1.0
            } else if c.is_ascii_uppercase() || "mwMW%@&".contains(c) {
                0.76
            } else {
                0.62
            };
            em * size
        })
        .sum()
}

/// `s` in lines of at most `max` px at `size` px: broken at spaces where it can, inside a word
/// where a word alone is too wide; at most `lines` lines, the last ending in "…" when the text
/// does not fit.
///
/// ```
/// use regis_viz::svg::wrap;
/// let l = wrap("Publishing, broadcasting and information services", 12.0, 180.0, 2);
/// assert_eq!(l.len(), 2);
/// assert!(l.iter().all(|x| regis_viz::svg::text_width(x, 12.0) <= 180.0));
/// ```
pub fn wrap(s: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= max {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // A word wider than a line is cut into pieces that fit.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if text_width(&piece, size) > max {
                piece.pop();
                out.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        current = piece;
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    if out.len() > lines.max(1) {
        out.truncate(lines.max(1));
        let last = out.last_mut().expect("at least one line");
        while !last.is_empty() && text_width(&format!("{last}…"), size) > max {
            last.pop();
        }
        last.push('…');
    }
    out
}

/// Text lines as SVG `<tspan>`s under one `<text>` at `(x, y)` (the first line's baseline),
/// `step` px apart; the caller writes the `<text>` element's other attributes in `attrs`.
pub fn text_lines(x: f64, y: f64, step: f64, lines: &[String], attrs: &str) -> String {
    let mut out = format!("<text x=\"{}\" y=\"{}\" {attrs}>", num(x, 1), num(y, 1));
    for (i, l) in lines.iter().enumerate() {
        out.push_str(&format!(
            "<tspan x=\"{}\" dy=\"{}\">{}</tspan>",
            num(x, 1),
            if i == 0 {
                "0".to_string()
            } else {
                num(step, 1)
            },
            escape(l)
        ));
    }
    out.push_str("</text>");
    out
}
