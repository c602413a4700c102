//! Choropleth maps as SVG: features projected to EPSG:5179, filled by class, with a legend,
//! a `<title>` per region for hover tooltips, and data attributes for interaction; and flow
//! maps, the same with lines between regions (ties, commuting) drawn over it.

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
    render(features, spec, &[])
}

/// A flow between two regions of a map: ties, commuters, trade.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Index of one region in the features.
    pub from: usize,
    /// Index of the other (the same index: a flow within the region).
    pub to: usize,
    /// Size (line width and the within-region circle's area grow with it).
    pub value: f64,
    /// Tooltip.
    pub label: String,
}

/// A choropleth with flows drawn over it: a line between the two regions' centres for each
/// flow between regions (width 1 to 8 pixels by value, the largest widest), a circle at the
/// region's centre for a flow within one (area by value). A region's centre is the centroid
/// of its largest ring as projected (so an island does not pull the mainland's centre to the
/// sea). Flows are drawn largest last (on top), each with a `<title>` and `data-from`,
/// `data-to` attributes (region codes).
///
/// ```
/// use regis_viz::map::{flow_map, Flow, MapFeature, MapSpec};
/// let square = |x: f64| vec![vec![[x, 37.0], [x + 0.1, 37.0], [x + 0.1, 37.1], [x, 37.1], [x, 37.0]]];
/// let f = vec![
///     MapFeature { code: "11".into(), name: "서울".into(), rings: square(127.0), value: Some(3.0) },
///     MapFeature { code: "21".into(), name: "부산".into(), rings: square(129.0), value: Some(1.0) },
/// ];
/// let flows = [Flow { from: 0, to: 1, value: 2.0, label: "서울 – 부산: 2".into() },
///     Flow { from: 0, to: 0, value: 5.0, label: "서울: 5".into() }];
/// let svg = flow_map(&f, &flows, &MapSpec { title: "t", description: "d", legend_title: "l",
///     missing_label: "n/a", breaks: &[1.0, 3.0], width: 400.0, link: "", categories: &[] });
/// assert!(svg.contains("<line") && svg.contains("data-from=\"11\" data-to=\"21\""));
/// assert!(svg.contains("<circle") && svg.contains("<title>서울 – 부산: 2</title>"));
/// ```
pub fn flow_map(features: &[MapFeature], flows: &[Flow], spec: &MapSpec) -> String {
    render(features, spec, flows)
}

/// The centroid of a closed ring (shoelace formula); its vertices' mean when degenerate.
fn ring_centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if a.abs() < 1e-12 {
        let n = ring.len().max(1) as f64;
        return (
            ring.iter().map(|p| p.0).sum::<f64>() / n,
            ring.iter().map(|p| p.1).sum::<f64>() / n,
        );
    }
    (cx / (3.0 * a), cy / (3.0 * a))
}

/// The absolute area of a ring.
fn ring_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        .abs()
        / 2.0
}

fn render(features: &[MapFeature], spec: &MapSpec, flows: &[Flow]) -> String {
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
    if !flows.is_empty() {
        let centre: Vec<(f64, f64)> = projected
            .iter()
            .map(|rings| {
                let largest = rings
                    .iter()
                    .max_by(|a, b| ring_area(a).total_cmp(&ring_area(b)));
                let (x, y) = largest.map(|r| ring_centroid(r)).unwrap_or((x0, y1));
                ((x - x0) * scale, (y1 - y) * scale)
            })
            .collect();
        let max = flows
            .iter()
            .map(|f| f.value)
            .fold(0.0f64, f64::max)
            .max(1e-12);
        let mut order: Vec<&Flow> = flows
            .iter()
            .filter(|f| f.from < features.len() && f.to < features.len() && f.value > 0.0)
            .collect();
        order.sort_by(|a, b| a.value.total_cmp(&b.value));
        out.push_str(
            "<g class=\"flows\" stroke=\"#b2182b\" stroke-linecap=\"round\" fill=\"#b2182b\">",
        );
        for f in order {
            let (a, b) = (centre[f.from], centre[f.to]);
            let attrs = format!(
                "data-from=\"{}\" data-to=\"{}\" data-value=\"{}\"",
                escape(&features[f.from].code),
                escape(&features[f.to].code),
                f.value
            );
            if f.from == f.to {
                let r = 3.0 + 9.0 * (f.value / max).sqrt();
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill-opacity=\"0.45\" stroke=\"none\" {attrs}><title>{}</title></circle>",
                    num(a.0, 1), num(a.1, 1), num(r, 1), escape(&f.label)
                ));
            } else {
                let w = 1.0 + 7.0 * f.value / max;
                out.push_str(&format!(
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\" stroke-opacity=\"0.7\" {attrs}><title>{}</title></line>",
                    num(a.0, 1), num(a.1, 1), num(b.0, 1), num(b.1, 1), num(w, 1), escape(&f.label)
                ));
            }
        }
        out.push_str("</g>");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rings_centroid_is_its_centre_of_area() {
        let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)];
        assert_eq!(ring_centroid(&square), (1.0, 1.0));
        assert_eq!(ring_area(&square), 4.0);
        // An L of three unit squares: centre (5/6, 5/6), not the vertices' mean.
        let l = [
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ];
        let (x, y) = ring_centroid(&l);
        assert!((x - 5.0 / 6.0).abs() < 1e-12 && (y - 5.0 / 6.0).abs() < 1e-12);
        // Clockwise gives the same centre.
        let mut reversed = l;
        reversed.reverse();
        let (xr, yr) = ring_centroid(&reversed);
        assert!((xr - x).abs() < 1e-12 && (yr - y).abs() < 1e-12);
    }
}
