//! Charts of estimated effects, as SVG with titles, descriptions and the numbers in `<title>`
//! tooltips: estimates with their intervals (an event study with its bands), and many paths
//! with one highlighted (the gaps of a synthetic control against its placebos), each with the
//! zero line and a dashed marker where treatment starts.

use crate::svg::{escape, label, num, FONT_STACK};

/// One estimate with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Position on the x axis (event time, period).
    pub x: f64,
    /// The estimate.
    pub value: f64,
    /// Lower bound of its interval (none: no bar).
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
}

/// A plot frame: the value ranges mapped onto the drawing area.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    width: f64,
    height: f64,
}

impl Frame {
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 30.0;
    const BOTTOM: f64 = 50.0;

    fn new(xs: impl Iterator<Item = f64>, ys: impl Iterator<Item = f64>, w: f64, h: f64) -> Frame {
        let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
        for x in xs.filter(|x| x.is_finite()) {
            x0 = x0.min(x);
            x1 = x1.max(x);
        }
        // The zero line is always in view.
        let (mut y0, mut y1) = (0.0f64, 0.0f64);
        for y in ys.filter(|y| y.is_finite()) {
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if !x0.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if x1 <= x0 {
            (x0, x1) = (x0 - 0.5, x1 + 0.5);
        }
        let pad = ((y1 - y0) * 0.06).max(1e-9);
        Frame {
            x0: x0 - (x1 - x0) * 0.03,
            x1: x1 + (x1 - x0) * 0.03,
            y0: y0 - pad,
            y1: y1 + pad,
            width: w,
            height: h,
        }
    }
    fn sx(&self, x: f64) -> f64 {
        Self::LEFT + (x - self.x0) / (self.x1 - self.x0) * (self.width - Self::LEFT - Self::RIGHT)
    }
    fn sy(&self, y: f64) -> f64 {
        let ph = self.height - Self::TOP - Self::BOTTOM;
        Self::TOP + ph - (y - self.y0) / (self.y1 - self.y0) * ph
    }
    /// The frame, title, y grid, x labels, zero line and the treatment marker.
    fn open(&self, title: &str, desc: &str, x_label: &str, start: Option<f64>) -> String {
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"{f}\" font-size=\"12\"><title>{t}</title><desc>{d}</desc><text x=\"{l}\" y=\"18\" font-weight=\"bold\">{t}</text>",
            w = num(self.width, 1),
            h = num(self.height, 1),
            f = escape(FONT_STACK),
            t = escape(title),
            d = escape(desc),
            l = num(Self::LEFT, 1),
        );
        let right = self.width - Self::RIGHT;
        for k in 0..=4 {
            let y = self.y0 + (self.y1 - self.y0) * k as f64 / 4.0;
            out.push_str(&format!(
                "<line x1=\"{l}\" x2=\"{r}\" y1=\"{py}\" y2=\"{py}\" stroke=\"#eeeeee\"/><text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{v}</text>",
                l = num(Self::LEFT, 1),
                r = num(right, 1),
                py = num(self.sy(y), 1),
                tx = num(Self::LEFT - 6.0, 1),
                ty = num(self.sy(y) + 4.0, 1),
                v = escape(&label(y))
            ));
        }
        let step = ((self.x1 - self.x0) / 10.0).ceil().max(1.0);
        let mut x = self.x0.ceil();
        while x <= self.x1 {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(self.sx(x), 1),
                num(self.height - Self::BOTTOM + 16.0, 1),
                num(x, 0)
            ));
            x += step;
        }
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num((Self::LEFT + right) / 2.0, 1),
            num(self.height - 12.0, 1),
            escape(x_label)
        ));
        out.push_str(&format!(
            "<line class=\"zero\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#555555\"/>",
            num(Self::LEFT, 1),
            num(right, 1),
            y = num(self.sy(0.0), 1)
        ));
        if let Some(s) = start {
            out.push_str(&format!(
                "<line class=\"treatment\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"#d62728\" stroke-dasharray=\"4 3\"/>",
                num(Self::TOP, 1),
                num(self.height - Self::BOTTOM, 1),
                x = num(self.sx(s), 1)
            ));
        }
        out
    }
}

/// Estimates with their intervals (an event study: effects by event time with a uniform band),
/// the zero line and a dashed marker at `start` (where treatment begins).
///
/// ```
/// use regis_viz::effects::{interval_chart, Estimate};
/// let e = [
///     Estimate { x: -1.0, value: 0.01, low: Some(-0.02), high: Some(0.04) },
///     Estimate { x: 0.0, value: -0.05, low: Some(-0.09), high: Some(-0.01) },
/// ];
/// let svg = interval_chart(&e, "Event study", "effects by event time", "event time", Some(-0.5), 600.0, 320.0);
/// assert_eq!(svg.matches("class=\"estimate\"").count(), 2);
/// assert_eq!(svg.matches("class=\"interval\"").count(), 2);
/// ```
pub fn interval_chart(
    estimates: &[Estimate],
    title: &str,
    desc: &str,
    x_label: &str,
    start: Option<f64>,
    width: f64,
    height: f64,
) -> String {
    let f = Frame::new(
        estimates.iter().map(|e| e.x),
        estimates
            .iter()
            .flat_map(|e| [Some(e.value), e.low, e.high])
            .flatten(),
        width,
        height,
    );
    let mut out = f.open(title, desc, x_label, start);
    for e in estimates.iter().filter(|e| e.value.is_finite()) {
        let x = num(f.sx(e.x), 1);
        let colour = if start.is_some_and(|s| e.x < s) {
            "#7f7f7f"
        } else {
            "#1f77b4"
        };
        if let (Some(lo), Some(hi)) = (e.low, e.high) {
            out.push_str(&format!(
                "<line class=\"interval\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                num(f.sy(lo), 1),
                num(f.sy(hi), 1)
            ));
        }
        let interval = match (e.low, e.high) {
            (Some(lo), Some(hi)) => format!(" [{}, {}]", label(lo), label(hi)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "<circle class=\"estimate\" cx=\"{x}\" cy=\"{}\" r=\"4\" fill=\"{colour}\"><title>{}: {}{}</title></circle>",
            num(f.sy(e.value), 1),
            num(e.x, 0),
            escape(&label(e.value)),
            escape(&interval)
        ));
    }
    out.push_str("</svg>");
    out
}

/// Many paths over x with one highlighted (a synthetic control's gap against its placebos'):
/// the others thin and grey, the highlighted one thick and red, with the zero line and a
/// dashed marker at `start`.
///
/// ```
/// use regis_viz::effects::paths_chart;
/// let treated = vec![(1988.0, 0.0), (1989.0, -5.0)];
/// let placebos = vec![("Utah".to_string(), vec![(1988.0, 1.0), (1989.0, 2.0)])];
/// let svg = paths_chart(("California", &treated), &placebos, "Gaps", "d", "year", Some(1988.5), 600.0, 320.0);
/// assert!(svg.contains("class=\"highlighted\"") && svg.contains("class=\"other\""));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn paths_chart(
    highlighted: (&str, &[(f64, f64)]),
    others: &[(String, Vec<(f64, f64)>)],
    title: &str,
    desc: &str,
    x_label: &str,
    start: Option<f64>,
    width: f64,
    height: f64,
) -> String {
    let all = || {
        others
            .iter()
            .flat_map(|(_, p)| p.iter())
            .chain(highlighted.1.iter())
    };
    let f = Frame::new(all().map(|p| p.0), all().map(|p| p.1), width, height);
    let mut out = f.open(title, desc, x_label, start);
    let line = |points: &[(f64, f64)]| -> String {
        points
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|(x, y)| format!("{},{}", num(f.sx(*x), 1), num(f.sy(*y), 1)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (name, points) in others {
        out.push_str(&format!(
            "<polyline class=\"other\" fill=\"none\" stroke=\"#c7c7c7\" stroke-width=\"1\" points=\"{}\"><title>{}</title></polyline>",
            line(points),
            escape(name)
        ));
    }
    out.push_str(&format!(
        "<polyline class=\"highlighted\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"3\" points=\"{}\"><title>{}</title></polyline>",
        line(highlighted.1),
        escape(highlighted.0)
    ));
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" fill=\"#d62728\">{}</text>",
        num(Frame::LEFT + 6.0, 1),
        num(Frame::TOP + 12.0, 1),
        escape(highlighted.0)
    ));
    out.push_str("</svg>");
    out
}
