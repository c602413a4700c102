//! Line, bar and Lorenz charts as SVG, with titles and descriptions for screen readers and the
//! numbers in `<title>` tooltips.

use crate::axis::AxisScale;
use crate::svg::{escape, label, num, text_lines, text_width, wrap, FONT_STACK};

/// A line series.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// Points (x, y); `None` y values break the line.
    pub points: Vec<(f64, Option<f64>)>,
}

const PALETTE: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
];

fn open(width: f64, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"{f}\" font-size=\"12\"><title>{t}</title><desc>{d}</desc>",
        w = num(width, 1), h = num(height, 1), f = escape(FONT_STACK), t = escape(title), d = escape(desc)
    )
}

/// A chart's title at `x` (moved left, then wrapped, when it would pass the right edge).
fn title_text(title: &str, x: f64, width: f64) -> String {
    let size = 13.0;
    let w = text_width(title, size);
    let x = if x + w <= width - 4.0 {
        x
    } else {
        (width - 4.0 - w).max(4.0)
    };
    let lines = wrap(title, size, width - x - 4.0, 2);
    text_lines(
        x,
        18.0,
        14.0,
        &lines,
        "font-weight=\"bold\" font-size=\"13\"",
    )
}

fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut t = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 {
        if v >= lo - step * 1e-9 {
            t.push(v);
        }
        v += step;
    }
    t
}

/// A line chart of one or more series over a shared x axis (years).
///
/// ```
/// use regis_viz::chart::{line_chart, Series};
/// let s = Series { name: "SMA share".into(), points: vec![(2000.0, Some(0.46)), (2001.0, Some(0.47))] };
/// let svg = line_chart(&[s], "SMA share of population", "Share by year", 600.0, 300.0);
/// assert!(svg.contains("<polyline") && svg.contains("SMA share"));
/// ```
pub fn line_chart(series: &[Series], title: &str, desc: &str, width: f64, height: f64) -> String {
    line_chart_scaled(series, title, desc, width, height, &AxisScale::plain())
}

/// A line chart whose y axis shows values divided by `axis.divisor`, with its unit written
/// above the axis (조원, million persons); the points' tooltips keep every digit.
///
/// ```
/// use regis_viz::axis::axis_scale;
/// use regis_viz::chart::{line_chart_scaled, Series};
/// let s = Series { name: "Seoul".into(), points: vec![(2016.0, Some(3.7e8)), (2017.0, Some(3.9e8))] };
/// let axis = axis_scale(3.9e8, "million KRW", true);
/// let svg = line_chart_scaled(&[s], "GRDP", "d", 600.0, 300.0, &axis);
/// assert!(svg.contains(">단위: 조원<") && svg.contains(">380<"));
/// assert!(svg.contains("Seoul 2017: 390,000,000"));
/// ```
pub fn line_chart_scaled(
    series: &[Series],
    title: &str,
    desc: &str,
    width: f64,
    height: f64,
    axis: &AxisScale,
) -> String {
    let caption = axis.caption();
    let d = if axis.divisor > 0.0 {
        axis.divisor
    } else {
        1.0
    };
    let shown: Vec<Series> = series
        .iter()
        .map(|s| Series {
            name: s.name.clone(),
            points: s
                .points
                .iter()
                .map(|(x, y)| (*x, y.map(|y| y / d)))
                .collect(),
        })
        .collect();
    let (series, originals) = (&shown[..], series);
    let mt = if caption.is_empty() { 30.0 } else { 48.0 };
    let (mr, mb) = (20.0, 40.0 + 18.0 * series.len() as f64);
    let pts = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for (x, y) in pts {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        if let Some(y) = y {
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
    }
    if !y0.is_finite() {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.05).max(1e-12);
    let (y0, y1) = (y0 - pad, y1 + pad);
    // The left margin fits the widest tick label (millions need room: "12,345,678").
    let y_ticks = nice_ticks(y0, y1, 5);
    let ml = y_ticks
        .iter()
        .map(|t| text_width(&label(*t), 12.0))
        .fold(0.0, f64::max)
        .max(26.0)
        + 14.0;
    let (pw, ph) = (width - ml - mr, height - mt - mb);
    let sx = |x: f64| {
        ml + if x1 > x0 {
            (x - x0) / (x1 - x0) * pw
        } else {
            pw / 2.0
        }
    };
    let sy = |y: f64| mt + ph - (y - y0) / (y1 - y0) * ph;
    let mut out = open(width, height, title, desc);
    out.push_str(&title_text(title, ml, width));
    if !caption.is_empty() {
        out.push_str(&format!(
            "<text x=\"4\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>",
            num(mt - 8.0, 1),
            escape(&caption)
        ));
    }
    for t in y_ticks {
        out.push_str(&format!("<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e0e0e0\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(ml, 1), num(ml + pw, 1), num(ml - 6.0, 1), num(sy(t) + 4.0, 1), escape(&label(t)), y = num(sy(t), 1)));
    }
    for t in nice_ticks(x0, x1, 8) {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(sx(t), 1),
            num(mt + ph + 16.0, 1),
            num(t, 0)
        ));
    }
    for (k, (s, original)) in series.iter().zip(originals).enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut segment = Vec::new();
        let flush = |seg: &mut Vec<String>, out: &mut String| {
            if seg.len() > 1 {
                out.push_str(&format!("<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>", seg.join(" ")));
            }
            seg.clear();
        };
        for ((x, y), (_, full)) in s.points.iter().zip(&original.points) {
            match y {
                Some(y) => {
                    segment.push(format!("{},{}", num(sx(*x), 1), num(sy(*y), 1)));
                    out.push_str(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{colour}\"><title>{} {}: {}</title></circle>", num(sx(*x), 1), num(sy(*y), 1), escape(&s.name), num(*x, 0), escape(&label(full.unwrap_or(*y)))));
                }
                None => flush(&mut segment, &mut out),
            }
        }
        flush(&mut segment, &mut out);
        let ly = height - mb + 30.0 + 18.0 * k as f64;
        out.push_str(&format!("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>", num(ml, 1), num(ly - 4.0, 1), num(ml + 20.0, 1), num(ly + 1.0, 1), escape(&s.name)));
    }
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart (e.g. location quotients), with an optional reference line (LQ = 1).
///
/// ```
/// use regis_viz::chart::bar_chart;
/// let svg = bar_chart(&[("Finance".into(), 2.2), ("Mining".into(), 0.1)], "LQ", "d", Some(1.0), 500.0);
/// assert!(svg.matches("<rect").count() >= 2);
/// ```
pub fn bar_chart(
    bars: &[(String, f64)],
    title: &str,
    desc: &str,
    reference: Option<f64>,
    width: f64,
) -> String {
    // Names get the room they need up to 45% of the width, then wrap onto a second line;
    // values get the room of the widest one.
    let widest = bars
        .iter()
        .map(|b| text_width(&b.0, 12.0))
        .fold(0.0, f64::max);
    let ml = (widest + 12.0).clamp(60.0, width * 0.45);
    let names: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.0, 12.0, ml - 12.0, 2))
        .collect();
    let mr = bars
        .iter()
        .map(|b| text_width(&label(b.1), 12.0))
        .fold(0.0, f64::max)
        .max(30.0)
        + 10.0;
    let (mt, row) = (
        30.0,
        if names.iter().any(|n| n.len() > 1) {
            30.0
        } else {
            20.0
        },
    );
    let height = mt + row * bars.len() as f64 + 20.0;
    let max = bars
        .iter()
        .map(|b| b.1)
        .chain(reference)
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let pw = width - ml - mr;
    let mut out = open(width, height, title, desc);
    out.push_str(&title_text(title, 10.0, width));
    for (i, (name, v)) in bars.iter().enumerate() {
        let y = mt + row * i as f64;
        let w = (v.max(0.0) / max * pw).max(0.0);
        let lines = &names[i];
        let first = y + 13.0 - 6.5 * (lines.len() as f64 - 1.0) + (row - 20.0) / 2.0;
        out.push_str(&text_lines(
            ml - 6.0,
            first,
            13.0,
            lines,
            "text-anchor=\"end\"",
        ));
        out.push_str(&format!("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#41b6c4\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>", num(ml, 1), num(y + 3.0, 1), num(w, 1), num(row - 6.0, 1), escape(name), escape(&label(*v)), num(ml + w + 4.0, 1), num(y + row / 2.0 + 3.0, 1), escape(&label(*v))));
    }
    if let Some(r) = reference {
        let x = ml + r / max * pw;
        out.push_str(&format!("<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>", num(mt - 4.0, 1), num(height - 16.0, 1), x = num(x, 1)));
    }
    out.push_str("</svg>");
    out
}

/// A Lorenz curve with the line of equality.
///
/// ```
/// use regis_viz::chart::lorenz_chart;
/// let svg = lorenz_chart(&[(0.0, 0.0), (0.5, 0.25), (1.0, 1.0)], "Lorenz", "d", 320.0);
/// assert!(svg.contains("<polyline"));
/// ```
pub fn lorenz_chart(points: &[(f64, f64)], title: &str, desc: &str, size: f64) -> String {
    let m = 40.0;
    let p = size - 2.0 * m;
    let mut out = open(size, size, title, desc);
    out.push_str(&format!(
        "<text x=\"{}\" y=\"20\" font-weight=\"bold\">{}</text>",
        num(m, 1),
        escape(title)
    ));
    out.push_str(&format!("<rect x=\"{m}\" y=\"{m}\" width=\"{p}\" height=\"{p}\" fill=\"none\" stroke=\"#ccc\"/><line x1=\"{m}\" y1=\"{b}\" x2=\"{r}\" y2=\"{m}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>", m = num(m, 1), p = num(p, 1), b = num(m + p, 1), r = num(m + p, 1)));
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{},{}", num(m + x * p, 1), num(m + p - y * p, 1)))
        .collect();
    out.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{}\"/></svg>",
        pts.join(" ")
    ));
    out
}

/// One bubble of a portfolio chart.
#[derive(Debug, Clone)]
pub struct Bubble {
    /// Label (tooltip and text).
    pub label: String,
    /// x value (e.g. location quotient).
    pub x: f64,
    /// y value (e.g. growth, %).
    pub y: f64,
    /// Size value (e.g. output); the area is proportional to it.
    pub size: f64,
    /// Highlighted (a selected strategic industry).
    pub highlight: bool,
}

/// A portfolio (bubble) chart: x against y, bubble area proportional to size, dashed reference
/// lines (LQ = 1, growth = the reference value) dividing the four quadrants.
///
/// ```
/// use regis_viz::chart::{bubble_chart, Bubble};
/// let b = vec![Bubble { label: "C".into(), x: 2.0, y: 5.0, size: 100.0, highlight: true }];
/// let svg = bubble_chart(&b, "Portfolio", "d", "LQ", "growth %", (1.0, 0.0), 600.0, 400.0);
/// assert!(svg.contains("<circle") && svg.contains("<title>C"));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn bubble_chart(
    bubbles: &[Bubble],
    title: &str,
    desc: &str,
    x_label: &str,
    y_label: &str,
    reference: (f64, f64),
    width: f64,
    height: f64,
) -> String {
    let (ml, mr, mt, mb) = (60.0, 170.0, 30.0, 45.0);
    let xs = bubbles
        .iter()
        .map(|b| b.x)
        .chain(std::iter::once(reference.0));
    let ys = bubbles
        .iter()
        .map(|b| b.y)
        .chain(std::iter::once(reference.1));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (px, py) = (((x1 - x0) * 0.08).max(1e-9), ((y1 - y0) * 0.08).max(1e-9));
    let (x0, x1, y0, y1) = (x0 - px, x1 + px, y0 - py, y1 + py);
    let (pw, ph) = (width - ml - mr, height - mt - mb);
    let sx = |x: f64| ml + (x - x0) / (x1 - x0) * pw;
    let sy = |y: f64| mt + ph - (y - y0) / (y1 - y0) * ph;
    let smax = bubbles
        .iter()
        .map(|b| b.size)
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let mut out = open(width, height, title, desc);
    out.push_str(&title_text(title, ml, width));
    for t in nice_ticks(x0, x1, 6) {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(sx(t), 1),
            num(mt + ph + 16.0, 1),
            escape(&label(t))
        ));
    }
    for t in nice_ticks(y0, y1, 5) {
        out.push_str(&format!("<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#eee\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(ml, 1), num(ml + pw, 1), num(ml - 6.0, 1), num(sy(t) + 4.0, 1), escape(&label(t)), y = num(sy(t), 1)));
    }
    out.push_str(&format!("<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>", num(mt, 1), num(mt + ph, 1), x = num(sx(reference.0), 1)));
    out.push_str(&format!("<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>", num(ml, 1), num(ml + pw, 1), y = num(sy(reference.1), 1)));
    out.push_str(&format!("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">{}</text>", num(ml + pw / 2.0, 1), num(height - 8.0, 1), escape(x_label), num(mt + ph / 2.0, 1), num(mt + ph / 2.0, 1), escape(y_label)));
    let mut sorted: Vec<&Bubble> = bubbles.iter().collect();
    sorted.sort_by(|a, b| b.size.total_cmp(&a.size));
    for b in sorted {
        let r = 3.0 + 22.0 * (b.size.max(0.0) / smax).sqrt();
        let (fill, stroke) = if b.highlight {
            ("#fd8d3c", "#d94801")
        } else {
            ("#9ecae1", "#3182bd")
        };
        out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" fill-opacity=\"0.7\" stroke=\"{stroke}\"><title>{}: {} {}, {} {}</title></circle>",
            num(sx(b.x), 1), num(sy(b.y), 1), num(r, 1), escape(&b.label), escape(x_label), escape(&label(b.x)), escape(y_label), escape(&label(b.y))
        ));
        if b.highlight {
            // Right of the bubble when the label fits there, else left of it; wrapped onto
            // two lines when neither side has the room.
            let (cx, cy) = (sx(b.x), sy(b.y));
            let right = width - 4.0 - (cx + r + 2.0);
            let left = cx - r - 2.0 - 4.0;
            let w = text_width(&b.label, 11.0);
            let (x, anchor, room) = if w <= right || right >= left {
                (cx + r + 2.0, "start", right)
            } else {
                (cx - r - 2.0, "end", left)
            };
            let lines = wrap(&b.label, 11.0, room.max(40.0), 2);
            let first = cy + 4.0 - 6.0 * (lines.len() as f64 - 1.0);
            out.push_str(&text_lines(
                x,
                first,
                12.0,
                &lines,
                &format!("font-size=\"11\" text-anchor=\"{anchor}\""),
            ));
        }
    }
    out.push_str("</svg>");
    out
}
