//! Writing results: aligned tables for people (Hangul counted as two columns), CSV, JSON.

use std::io::Write;

use regis_app::table::{Reader, Tabular};

use crate::args::Format;

/// Display width of a string in a terminal (East Asian wide characters count 2).
pub fn width(s: &str) -> usize {
    const WIDE: [(u32, u32); 5] = [
        (0x1100, 0x115F),
        (0x2E80, 0xA4CF),
        (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF),
        (0xFF00, 0xFF60),
    ];
    let wide = |c: char| WIDE.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)));
    s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// Prints rows as an aligned table, CSV or JSON (array of objects) to standard output.
pub fn print_rows(format: Format, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    if let Some(refused) = format.refused_on_standard_output() {
        return Err(refused.into());
    }
    if rows.is_empty() {
        eprintln!("note: no row to show: nothing matches what was asked (monitoring lists hold what you may see: published projects only without REGIS_USER)");
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .zip(r)
                            .map(|(h, c)| ((*h).to_string(), serde_json::Value::String(c.clone())))
                            .collect(),
                    )
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        _ => {
            let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
            for r in rows {
                for (i, c) in r.iter().enumerate() {
                    widths[i] = widths[i].max(width(c));
                }
            }
            let line = |cells: Vec<&str>| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    s.push_str(c);
                    if i + 1 < cells.len() {
                        s.push_str(&" ".repeat(widths[i] - width(c) + 2));
                    }
                }
                s
            };
            writeln!(out, "{}", line(header.to_vec()))?;
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(out, "{}", line(rule.iter().map(String::as_str).collect()))?;
            for r in rows {
                writeln!(out, "{}", line(r.iter().map(|s| s.as_str()).collect()))?;
            }
        }
    }
    Ok(())
}

/// Prints a report's table: aligned for people (each column's own decimals), or CSV with 17
/// decimals (every digit a machine needs).
pub fn print_table(format: Format, table: &regis_app::table::Table) -> anyhow::Result<()> {
    let reader = if format == Format::Table {
        Reader::People
    } else {
        Reader::Machines
    };
    print_rows(format, &table.header(), &table.text_rows(reader))
}

/// Prints a report as pretty JSON.
pub fn print_json<T: serde::Serialize>(report: &T) -> anyhow::Result<()> {
    // Streamed: a large report is never held whole as text.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, report)?;
    Ok(writeln!(out)?)
}

/// Prints a report's warnings on standard error.
pub fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Prints a report: JSON as it is, otherwise its table (and, for people, its note); its
/// warnings go to standard error.
pub fn render<R: Tabular>(format: Format, report: &R) -> anyhow::Result<()> {
    warn(report.warnings());
    if format == Format::Json {
        return print_json(report);
    }
    print_table(format, &report.table())?;
    for t in report.more_tables() {
        println!();
        print_table(format, &t)?;
    }
    let note = report.note();
    if format == Format::Table && !note.is_empty() {
        eprintln!("{note}");
    }
    Ok(())
}

/// A progress line on stderr (a terminal only): rows read of the total.
pub fn progress(done: u64, total: u64) {
    use std::io::IsTerminal;
    // A CSV input's rows are not counted ahead (total 0): no line.
    if std::io::stderr().is_terminal() && total > 0 {
        eprint!(
            "\rrows read: {done} of {total} ({:.0}%)",
            100.0 * done as f64 / total.max(1) as f64
        );
        if done >= total {
            eprintln!();
        }
    }
}

/// `regis micro ...`: the request to the application, the report rendered.
pub fn micro(store: &std::path::Path, m: &crate::args::MicroCommand) -> anyhow::Result<()> {
    use crate::args::MicroCommand as M;
    use regis_app::micro;
    let (q, f, p) = (m.args().request()?, m.args().format.into(), &progress);
    let (keep, out) = (m.store_as(store)?, m.args().out.as_deref());
    match m {
        M::Aggregate(_) => emit(f, out, &micro::aggregate_and_store(&q, keep, p)?),
        M::EllisonGlaeser(_) => emit(f, out, &micro::ellison_glaeser(&q, p)?),
        M::Coagglomeration(a) => emit(f, out, &micro::coagglomeration(&q, &a.industries, p)?),
        M::Sizes(a) => emit(f, out, &micro::sizes(&q, a.by.app(), p)?),
        M::Dynamics(_) => emit(f, out, &micro::dynamics(&q, p)?),
    }
}

/// Renders a report to standard output, or writes it whole to `out` (CSV as for
/// spreadsheets, JSON, or Parquet).
fn emit<R: Tabular>(f: Format, out: Option<&std::path::Path>, r: &R) -> anyhow::Result<()> {
    let Some(path) = out else { return render(f, r) };
    warn(r.warnings());
    let table = r.table();
    let bytes = match f {
        Format::Parquet => table.to_parquet(&r.note())?,
        Format::Csv => table.to_csv().into_bytes(),
        Format::Json => (serde_json::to_string_pretty(r)? + "\n").into_bytes(),
        other => anyhow::bail!("--format {other:?} is not written to a file here"),
    };
    write_file(path, &bytes, table.len())
}

/// Writes a file whole (replaced only once complete) and says so on standard error.
pub fn write_file(path: &std::path::Path, bytes: &[u8], rows: usize) -> anyhow::Result<()> {
    regis_data::atomic::write_atomic(path, bytes)?;
    eprintln!("wrote {} ({rows} rows)", path.display());
    Ok(())
}
