//! HTML through an auto-escaping template engine (askama): every value a template prints is
//! escaped unless it is [`Markup`], and `Markup` can only come from a rendered template, a
//! figure of `regis-viz` (self-contained SVG whose text regis-viz escapes) or a constant of
//! the source code. So a page cannot forget to escape a project title or a region name: no
//! page of the server assembles HTML by hand (`templates/`: the frame, the dashboard pages,
//! the monitoring pages, the report and their parts).
//!
//! Why askama: templates are checked when the crate compiles (a misspelt field fails the
//! build, not a request), they compile to plain Rust (no template files to ship, no run-time
//! parser in the binary), and `.html` templates escape by default.

use std::fmt;

use crate::error::AppError;

/// HTML that is safe to insert as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup(String);

impl Markup {
    /// A rendered template.
    pub fn render(template: &impl askama::Template) -> Result<Markup, AppError> {
        template
            .render()
            .map(Markup)
            .map_err(|e| AppError::internal(format!("template: {e}")))
    }

    /// Markup written in the source code (a `'static` constant, never data).
    pub fn constant(html: &'static str) -> Markup {
        Markup(html.to_string())
    }

    /// A figure of `regis-viz` (its text is escaped where it is drawn).
    pub fn figure(svg: impl Into<String>) -> Markup {
        Markup(svg.into())
    }

    /// Markup a template rendered earlier and a cache kept (the figure cache of pages).
    pub fn rendered_earlier(html: &str) -> Markup {
        Markup(html.to_string())
    }

    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The HTML text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Markup is inserted as it is; everything else a template prints is escaped.
impl askama::filters::HtmlSafe for Markup {}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p>{{ text }}</p>{{ markup }}", ext = "html")]
    struct Probe<'a> {
        text: &'a str,
        markup: Markup,
    }

    #[test]
    fn text_is_escaped_and_markup_is_not() {
        let html = Probe {
            text: "<script>alert(1)</script> & \"x\"",
            markup: Markup::figure("<svg></svg>"),
        }
        .render()
        .unwrap();
        assert!(
            html.starts_with("<p>&#60;script&#62;") || html.starts_with("<p>&lt;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.ends_with("<svg></svg>"), "{html}");
    }
}
