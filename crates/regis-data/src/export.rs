//! Exporting panels and flows: CSV, JSON, XLSX, and GeoJSON (boundaries joined with values).

use regis_core::{Classification, FlowMatrix, Measure, Panel, Period, RegionCatalog, RegionId};
use serde_json::{json, Value};

use crate::error::{DataError, ErrorKind, Result};

/// One exported observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Region (origin for flows).
    pub region: RegionId,
    /// Destination, for flows.
    pub dest: Option<RegionId>,
    /// Industry code.
    pub industry: String,
    /// Period.
    pub period: Period,
    /// Value; None when missing.
    pub value: Option<f64>,
}

/// A table ready to be written: the measure, its rows, and how to label them.
#[derive(Debug, Clone)]
pub struct ExportTable<'a> {
    /// The measure.
    pub measure: &'a Measure,
    /// Rows.
    pub rows: Vec<Row>,
    /// Catalog for codes and names.
    pub catalog: &'a RegionCatalog,
    /// Code system for region codes (None: each region's display code).
    pub code_system: Option<usize>,
    /// Classification for industry names.
    pub classification: Option<&'a Classification>,
    /// Attribution line.
    pub attribution: &'a str,
    /// Flows or regional values.
    pub is_flow: bool,
}

impl<'a> ExportTable<'a> {
    /// Rows of a panel, optionally restricted (None keeps all).
    pub fn panel_rows(
        panel: &Panel,
        regions: &[RegionId],
        industries: Option<&[String]>,
        periods: Option<&[Period]>,
    ) -> Vec<Row> {
        let mut out = Vec::new();
        for &r in regions {
            if !panel.has_region(r) {
                continue;
            }
            for i in panel.industries() {
                if industries.is_some_and(|is| !is.contains(i)) {
                    continue;
                }
                for &p in panel.periods() {
                    if periods.is_some_and(|ps| !ps.contains(&p)) {
                        continue;
                    }
                    out.push(Row {
                        region: r,
                        dest: None,
                        industry: i.clone(),
                        period: p,
                        value: panel.get(r, i, p),
                    });
                }
            }
        }
        out
    }

    /// Rows of a flow matrix, optionally restricted to periods.
    pub fn flow_rows(flows: &FlowMatrix, periods: Option<&[Period]>) -> Vec<Row> {
        let mut out = Vec::new();
        for &o in flows.regions() {
            for &d in flows.regions() {
                for &p in flows.periods() {
                    if periods.is_some_and(|ps| !ps.contains(&p)) {
                        continue;
                    }
                    out.push(Row {
                        region: o,
                        dest: Some(d),
                        industry: regis_core::TOTAL_INDUSTRY.into(),
                        period: p,
                        value: flows.get(o, d, p),
                    });
                }
            }
        }
        out
    }

    fn code(&self, r: RegionId, period: Period) -> String {
        match self.code_system {
            Some(s) => self
                .catalog
                .code_in(r, s, Some(period.0))
                .or_else(|| self.catalog.code_in(r, s, None))
                .unwrap_or("")
                .to_string(),
            None => self.catalog.region(r).code.clone(),
        }
    }

    fn industry_names(&self, code: &str) -> (String, String) {
        if let Some(i) = self.classification.and_then(|c| c.get(code)) {
            return (i.name_ko.clone(), i.name_en.clone());
        }
        if code == regis_core::TOTAL_INDUSTRY {
            return ("계".into(), "Total".into());
        }
        Default::default()
    }

    /// Column names of the CSV/XLSX output.
    pub fn header(&self) -> Vec<&'static str> {
        if self.is_flow {
            vec![
                "origin_code",
                "origin_name_ko",
                "origin_name_en",
                "dest_code",
                "dest_name_ko",
                "dest_name_en",
                "period",
                "value",
                "unit",
            ]
        } else {
            vec![
                "region_code",
                "region_name_ko",
                "region_name_en",
                "level",
                "industry",
                "industry_name_ko",
                "industry_name_en",
                "period",
                "value",
                "unit",
            ]
        }
    }

    /// Cells of each row as text (missing values are empty).
    pub fn records(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                let r = self.catalog.region(row.region);
                let v = row.value.map(format_value).unwrap_or_default();
                if let Some(d) = row.dest {
                    let dr = self.catalog.region(d);
                    vec![
                        self.code(row.region, row.period),
                        r.name_ko.clone(),
                        r.name_en.clone(),
                        self.code(d, row.period),
                        dr.name_ko.clone(),
                        dr.name_en.clone(),
                        row.period.to_string(),
                        v,
                        self.measure.unit.clone(),
                    ]
                } else {
                    let (iko, ien) = self.industry_names(&row.industry);
                    vec![
                        self.code(row.region, row.period),
                        r.name_ko.clone(),
                        r.name_en.clone(),
                        r.level.name(),
                        row.industry.clone(),
                        iko,
                        ien,
                        row.period.to_string(),
                        v,
                        self.measure.unit.clone(),
                    ]
                }
            })
            .collect()
    }

    /// CSV text (UTF-8, header line first).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(self.header());
        for rec in self.records() {
            let _ = w.write_record(&rec);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// JSON document: measure metadata, attribution and rows.
    pub fn to_json(&self) -> Value {
        let header = self.header();
        let rows: Vec<Value> = self
            .records()
            .into_iter()
            .zip(&self.rows)
            .map(|(rec, row)| {
                let mut o = serde_json::Map::new();
                for (h, c) in header.iter().zip(rec) {
                    if *h == "value" {
                        o.insert(
                            "value".into(),
                            row.value.map(|v| json!(v)).unwrap_or(Value::Null),
                        );
                    } else if *h == "period" {
                        o.insert("period".into(), json!(row.period.0));
                    } else {
                        o.insert((*h).into(), json!(c));
                    }
                }
                Value::Object(o)
            })
            .collect();
        json!({
            "measure": measure_json(self.measure),
            "attribution": self.attribution,
            "rows": rows,
        })
    }

    /// Parquet bytes (feature `parquet`): the CSV columns, `period` as INT32 and `value` as
    /// an optional DOUBLE (missing values are nulls).
    #[cfg(feature = "parquet")]
    pub fn to_parquet(&self) -> Result<Vec<u8>> {
        crate::parquet_io::write(&self.header(), &self.records())
    }

    /// XLSX workbook bytes: a data sheet and a sheet with the measure and attribution.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let err =
            |e: rust_xlsxwriter::XlsxError| DataError::file(ErrorKind::Io, "<xlsx>", e.to_string());
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let ws = wb.add_worksheet();
        ws.set_name("data").map_err(err)?;
        let header = self.header();
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(err)?;
        }
        for (i, (rec, row)) in self.records().into_iter().zip(&self.rows).enumerate() {
            let r = (i + 1) as u32;
            for (c, (h, cell)) in header.iter().zip(rec).enumerate() {
                let c = c as u16;
                match *h {
                    "value" => {
                        if let Some(v) = row.value {
                            ws.write_number(r, c, v).map_err(err)?;
                        }
                    }
                    "period" => {
                        ws.write_number(r, c, row.period.0 as f64).map_err(err)?;
                    }
                    _ => {
                        ws.write_string(r, c, cell).map_err(err)?;
                    }
                }
            }
        }
        let meta = wb.add_worksheet();
        meta.set_name("about").map_err(err)?;
        let lines = [
            ("measure", self.measure.id.clone()),
            ("name_ko", self.measure.name_ko.clone()),
            ("name_en", self.measure.name_en.clone()),
            ("unit", self.measure.unit.clone()),
            ("additive", self.measure.additive.to_string()),
            ("attribution", self.attribution.to_string()),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            meta.write_string_with_format(i as u32, 0, *k, &bold)
                .map_err(err)?;
            meta.write_string(i as u32, 1, v).map_err(err)?;
        }
        wb.save_to_buffer().map_err(err)
    }
}

/// Formats a value without a trailing `.0` for integers.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// JSON description of a measure.
pub fn measure_json(m: &Measure) -> Value {
    let basis = match &m.price_basis {
        regis_core::PriceBasis::NotApplicable => json!(null),
        regis_core::PriceBasis::Nominal => json!("nominal"),
        regis_core::PriceBasis::Real { base_year, chained } => {
            json!({"real_base_year": base_year, "chained": chained})
        }
    };
    json!({
        "id": m.id,
        "name_ko": m.name_ko,
        "name_en": m.name_en,
        "unit": m.unit,
        "price_basis": basis,
        "additive": m.additive,
        "allows_negative": m.allows_negative,
        "kind": match m.kind { regis_core::MeasureKind::Regional => "regional", regis_core::MeasureKind::Flow => "flow" },
    })
}

/// A plain table as CSV (RFC 4180 quoting), the header first.
///
/// ```
/// let bytes = regis_data::export::csv_table(&["a", "b"], &[vec!["1".into(), "x,y".into()]]).unwrap();
/// assert_eq!(String::from_utf8(bytes).unwrap(), "a,b\n1,\"x,y\"\n");
/// ```
pub fn csv_table(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let err = |e: csv::Error| DataError::file(ErrorKind::Io, "<csv>", e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(r).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| DataError::file(ErrorKind::Io, "<csv>", e.to_string()))
}

/// A plain table for a workbook sheet: (sheet name, header, rows of text cells).
pub type SheetTable = (String, Vec<String>, Vec<Vec<String>>);

/// A workbook of plain tables. Cells that parse as numbers are written as numbers.
pub fn workbook(sheets: &[SheetTable]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err =
        |e: rust_xlsxwriter::XlsxError| DataError::file(ErrorKind::Io, "<xlsx>", e.to_string());
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, header, rows) in sheets {
        let ws = wb.add_worksheet();
        let safe: String = name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(&safe).map_err(err)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        ws.write_number(r as u32 + 1, c as u16, v).map_err(err)?
                    }
                    _ => ws.write_string(r as u32 + 1, c as u16, cell).map_err(err)?,
                };
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}
