//! Spreadsheet realities: a chart sheet placed first, sheets named or numbered, a merged
//! two-row header said with `--header-rows`, and footnote rows below a table.

use regis_data::table::{ReadOptions, Table};
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet};

/// A workbook whose first sheet is a chart of the data on the second (`데이터`).
fn chart_first() -> Vec<u8> {
    let mut wb = Workbook::new();
    let mut data = Worksheet::new();
    data.set_name("데이터").unwrap();
    for (c, h) in ["region", "2019", "2020"].iter().enumerate() {
        data.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (code, a, b)) in [("11", 9.7, 9.6), ("26", 1.1, 1.2)].iter().enumerate() {
        data.write_string(r as u32 + 1, 0, *code).unwrap();
        data.write_number(r as u32 + 1, 1, *a).unwrap();
        data.write_number(r as u32 + 1, 2, *b).unwrap();
    }
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("'데이터'!$B$2:$B$3");
    let mut sheet = Worksheet::new_chartsheet();
    sheet.set_name("차트").unwrap();
    sheet.insert_chart(0, 0, &chart).unwrap();
    wb.push_worksheet(sheet);
    wb.push_worksheet(data);
    wb.save_to_buffer().unwrap()
}

fn read(
    bytes: &[u8],
    sheet: Option<&str>,
    header_rows: Option<usize>,
) -> regis_data::Result<Table> {
    Table::from_bytes(
        bytes,
        "book.xlsx",
        &ReadOptions {
            sheet: sheet.map(String::from),
            header_rows,
            ..ReadOptions::default()
        },
    )
}

#[test]
fn a_chart_sheet_first_is_skipped_and_sheets_are_named_or_numbered() {
    let book = chart_first();
    let t = read(&book, None, None).unwrap();
    assert_eq!(t.header, ["region", "2019", "2020"]);
    assert_eq!(t.rows.len(), 2);
    assert!(
        t.notes[0].contains("`차트` (a chart) skipped; read `데이터`"),
        "{:?}",
        t.notes
    );
    // By number from 1, or by name.
    assert_eq!(read(&book, Some("2"), None).unwrap().rows.len(), 2);
    assert_eq!(read(&book, Some("데이터"), None).unwrap().rows.len(), 2);
    let e = read(&book, Some("1"), None).unwrap_err().to_string();
    assert!(
        e.contains(
            "sheet `차트` is a chart, not a table; sheets are: 1 `차트` (a chart), 2 `데이터`"
        ),
        "{e}"
    );
    let e = read(&book, Some("Sheet9"), None).unwrap_err().to_string();
    assert!(
        e.contains("no sheet `Sheet9`") && e.contains("2 `데이터`"),
        "{e}"
    );
}

/// A header merged over two rows: `population` spans the two year columns below it.
fn merged_header() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "region").unwrap();
    ws.merge_range(0, 1, 0, 2, "population", &rust_xlsxwriter::Format::new())
        .unwrap();
    ws.write_string(1, 1, "male").unwrap();
    ws.write_string(1, 2, "female").unwrap();
    for (r, (code, a, b)) in [("11", 4.7, 4.9), ("26", 0.6, 0.6)].iter().enumerate() {
        ws.write_string(r as u32 + 2, 0, *code).unwrap();
        ws.write_number(r as u32 + 2, 1, *a).unwrap();
        ws.write_number(r as u32 + 2, 2, *b).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_merged_two_row_header_is_named_with_header_rows() {
    let book = merged_header();
    // Left to detection the second header row reads as data: the message names the flag.
    match read(&book, None, None) {
        Ok(t) => assert_ne!(t.header.len(), 3, "{:?}", t.header),
        Err(e) => {
            let e = e.to_string();
            assert!(
                e.contains("--header-rows N") && !e.contains("delimiter"),
                "{e}"
            );
        }
    }
    let t = read(&book, None, Some(2)).unwrap();
    assert_eq!(
        t.header,
        ["region", "population / male", "population / female"]
    );
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].cells, ["11", "4.7", "4.9"]);
}

#[test]
fn footnote_and_source_rows_below_a_table_are_skipped_with_a_note() {
    let csv = "지역,2019,2020\n11,9.7,9.6\n26,1.1,1.2\n\n주) 2020년은 잠정치\n○출처: 통계청, 「장래인구추계」\n";
    let t = Table::from_bytes(csv.as_bytes(), "kosis.csv", &ReadOptions::default()).unwrap();
    assert_eq!(t.rows.len(), 2);
    assert!(
        t.notes[0].starts_with(
            "2 footnote or source row(s) below the table skipped (line 5: `주) 2020년은 잠정치`)"
        ),
        "{:?}",
        t.notes
    );
    // A one-cell row with a number is data, not a note: the ragged row is still refused.
    let csv = "지역,2019,2020\n11,9.7,9.6\n26\n";
    assert!(Table::from_bytes(csv.as_bytes(), "x.csv", &ReadOptions::default()).is_err());
    // A last row whose first cell merely starts like a note but that holds two values is
    // data: a tie from an actor called "Source Lab" is kept.
    let csv = "source,target\nKAIST,Samsung\nSource Lab,KAIST\n";
    let t = Table::from_bytes(csv.as_bytes(), "ties.csv", &ReadOptions::default()).unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1].cells, ["Source Lab", "KAIST"]);
    assert!(t.notes.is_empty(), "{:?}", t.notes);
}
