//! Choropleth maps as SVG: features projected to EPSG:5179, filled by class, with a legend,
//! a `<title>` per region for hover tooltips, and data attributes for interaction.

use crate::breaks::{class_of, ramp};
use crate::projection::epsg5179;
use crate::svg::{escape, label, num, FONT_STACK};

/// One region on the map.
#[derive(Debug, Clone)]
pub struct MapFeature {
    /// Region code (data-code attribute; links to its profile).
    pub code: String,
    /// Name shown in the tooltip.
    pub name: String,
    /// Rings in longitude/latitude degrees.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Value, `None` when missing (drawn hatched grey).
    pub value: Option<f64>,
}

/// What the map shows.
#[derive(Debug, Clone)]
pub struct MapSpec<'a> {
    /// Figure title (also the SVG `<title>`).
    pub title: &'a str,
    /// Longer description for screen readers.
    pub description: &'a str,
    /// Legend heading (unit).
    pub legend_title: &'a str,
    /// Label for missing values in the legend.
    pub missing_label: &'a str,
    /// Upper bounds of the classes.
    pub breaks: &'a [f64],
    /// Width in pixels (height follows the map's aspect ratio).
    pub width: f64,
    /// Link template for a click (`{code}` replaced), or empty.
    pub link: &'a str,
    /// Category names for a categorical map (zones, clusters): a value `k` (1, 2, ...) is
    /// category `k`, drawn in a distinct colour with its name in the legend; empty for a
    /// classed (sequential) map by `breaks`.
    pub categories: &'a [String],
}

/// Distinct colours for categories (neighbouring zones must not look alike): a qualitative
/// palette (ColorBrewer Set3/Paired-like hues), repeated past its length.
const CATEGORICAL: [&str; 12] = [
    "#8dd3c7", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#bc80bd", "#ffed6f", "#1f78b4",
    "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a",
];

/// Renders a choropleth map.
///
/// ```
/// use regis_viz::map::{choropleth, MapFeature, MapSpec};
/// let sq = vec![vec![[127.0, 37.0], [127.1, 37.0], [127.1, 37.1], [127.0, 37.1], [127.0, 37.0]]];
/// let f = vec![MapFeature { code: "11".into(), name: "서울".into(), rings: sq, value: Some(1.0) }];
/// let svg = choropleth(&f, &MapSpec { title: "t", description: "d", legend_title: "l",
///     missing_label: "n/a", breaks: &[1.0], width: 400.0, link: "/region/{code}", categories: &[] });
/// assert!(svg.starts_with("<svg") && svg.contains("data-code=\"11\"") && svg.contains("<title>서울: 1</title>"));
/// ```
pub fn choropleth(features: &[MapFeature], spec: &MapSpec) -> String {
    let projected: Vec<Vec<Vec<(f64, f64)>>> = features
        .iter()
        .map(|f| {
            f.rings
                .iter()
                .map(|r| r.iter().map(|p| epsg5179(p[0], p[1])).collect())
                .collect()
        })
        .collect();
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for (x, y) in projected.iter().flatten().flatten() {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(*y);
        y1 = y1.max(*y);
    }
    if !x0.is_finite() {
        (x0, y0, x1, y1) = (0.0, 0.0, 1.0, 1.0);
    }
    let legend_w = 230.0;
    let map_w = spec.width - legend_w;
    let scale = map_w / (x1 - x0).max(1e-9);
    let map_h = ((y1 - y0) * scale).max(1.0);
    let categorical = !spec.categories.is_empty();
    let classes = if categorical {
        spec.categories.len()
    } else {
        spec.breaks.len()
    };
    let height = map_h.max(40.0 + 22.0 * (classes as f64 + 2.0));
    let colours: Vec<&str> = if categorical {
        (0..classes)
            .map(|k| CATEGORICAL[k % CATEGORICAL.len()])
            .collect()
    } else {
        ramp(spec.breaks.len()).to_vec()
    };
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"map-title map-desc\" font-family=\"{}\">",
        num(spec.width, 1), num(height, 1), num(spec.width, 1), num(height, 1), escape(FONT_STACK)
    ));
    out.push_str(&format!(
        "<title id=\"map-title\">{}</title><desc id=\"map-desc\">{}</desc>",
        escape(spec.title),
        escape(spec.description)
    ));
    out.push_str("<defs><pattern id=\"missing\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/><path d=\"M0 6L6 0\" stroke=\"#aaaaaa\" stroke-width=\"1\"/></pattern></defs>");
    out.push_str("<g class=\"regions\" stroke=\"#ffffff\" stroke-width=\"0.4\">");
    for (f, rings) in features.iter().zip(&projected) {
        let mut d = String::new();
        for ring in rings {
            // Vertices closer than half a pixel to the last one drawn add bytes, not detail.
            let mut last: Option<(f64, f64)> = None;
            let n = ring.len();
            for (i, (x, y)) in ring.iter().enumerate() {
                let px = (x - x0) * scale;
                let py = (y1 - y) * scale;
                if let Some((lx, ly)) = last {
                    if i + 1 < n && (px - lx).abs() < 0.5 && (py - ly).abs() < 0.5 {
                        continue;
                    }
                }
                d.push(if last.is_none() { 'M' } else { 'L' });
                d.push_str(&num(px, 1));
                d.push(' ');
                d.push_str(&num(py, 1));
                last = Some((px, py));
            }
            d.push('Z');
        }
        let class = |v: f64| {
            if categorical {
                (v >= 1.0 && v <= classes as f64).then(|| v as usize - 1)
            } else {
                class_of(v, spec.breaks)
            }
        };
        let fill = f
            .value
            .and_then(class)
            // More classes than the ramp has colours: the last ones share the darkest colour.
            .map(|c| colours[c.min(colours.len().saturating_sub(1))].to_string())
            .unwrap_or_else(|| "url(#missing)".into());
        let value = f
            .value
            .map(label)
            .unwrap_or_else(|| spec.missing_label.to_string());
        let path = format!(
            "<path d=\"{d}\" fill=\"{fill}\" fill-rule=\"evenodd\" data-code=\"{}\" data-name=\"{}\" data-value=\"{}\"><title>{}: {}</title></path>",
            escape(&f.code), escape(&f.name), f.value.map(|v| v.to_string()).unwrap_or_default(), escape(&f.name), escape(&value)
        );
        if spec.link.is_empty() {
            out.push_str(&path);
        } else {
            out.push_str(&format!(
                "<a href=\"{}\">{path}</a>",
                escape(&spec.link.replace("{code}", &f.code))
            ));
        }
    }
    out.push_str("</g>");
    // Legend.
    let lx = map_w + 10.0;
    out.push_str(&format!("<g class=\"legend\" font-size=\"12\"><text x=\"{}\" y=\"18\" font-weight=\"bold\">{}</text>", num(lx, 1), escape(spec.legend_title)));
    let mut lower: Option<f64> = None;
    let texts: Vec<String> = if categorical {
        spec.categories.to_vec()
    } else {
        spec.breaks
            .iter()
            .map(|b| {
                let text = match lower {
                    None => format!("≤ {}", label(*b)),
                    Some(l) => format!("{} – {}", label(l), label(*b)),
                };
                lower = Some(*b);
                text
            })
            .collect()
    };
    for (i, text) in texts.iter().enumerate() {
        let y = 30.0 + 22.0 * i as f64;
        let lines = crate::svg::wrap(text, 12.0, spec.width - lx - 28.0, 1);
        out.push_str(&format!("<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"16\" fill=\"{}\" stroke=\"#999\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\">{}</text>", num(lx, 1), num(y, 1), colours[i.min(colours.len().saturating_sub(1))], num(lx + 24.0, 1), num(y + 12.5, 1), escape(&lines.join(" "))));
    }
    let y = 30.0 + 22.0 * classes as f64;
    out.push_str(&format!("<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"16\" fill=\"url(#missing)\" stroke=\"#999\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\">{}</text></g></svg>", num(lx, 1), num(y, 1), num(lx + 24.0, 1), num(y + 12.5, 1), escape(spec.missing_label)));
    out
}
