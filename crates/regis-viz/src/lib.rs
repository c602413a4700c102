//! Regis figures as SVG, one engine for the dashboard and the reports: choropleth maps in a
//! proper projection for Korea, class breaks, line, bar and Lorenz charts.
//!
//! Invariants: no I/O and no dependencies; every figure is a self-contained SVG string with a
//! `<title>` and `<desc>` (accessible), text in the page's fonts (Korean fallbacks named), and
//! no external reference of any kind.

pub mod axis;
pub mod breaks;
pub mod chart;
pub mod effects;
pub mod map;
pub mod network;
pub mod projection;
pub mod svg;
