"""Writes two KOSIS-style CSV exports from the original KOSIS XLSX download of DT_1C61
(data/korea/kosis/101_DT_1C61_20190217115851.xlsx), the shapes KOSIS gives when one picks CSV:
  kosis_grdp_1c61_cp949.csv     the whole table, title line + header, CP949-encoded, CRLF;
  kosis_grdp_two_row_header.csv GRDP totals 2015-2017 with years on one header row and the
                                price basis (항목) on the row below, UTF-8 with BOM.
Run from tests/inputs: python3 make_kosis_csv.py (needs openpyxl)."""
import csv
import openpyxl

wb = openpyxl.load_workbook("../../data/korea/kosis/101_DT_1C61_20190217115851.xlsx")
rows = [[("" if c is None else c) for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
with open("kosis_grdp_1c61_cp949.csv", "w", encoding="cp949", newline="") as f:
    csv.writer(f).writerows(rows)
hdr = rows[1]
years = [c for c in hdr[4:] if c][-3:]
out = [["○ 행정구역(시도)별/경제활동별 지역내총생산 [백만원]"],
       ["행정구역(시도)별", "경제활동별"] + sum([[y, ""] for y in years], []),
       ["", ""] + ["당해년가격", "2010년 기준년가격(연쇄)"] * len(years)]
idx = {c: i for i, c in enumerate(hdr)}
data = {}
for r in rows[2:]:
    if r[1] == "지역내총생산(시장가격)":
        data.setdefault((r[0], r[1]), {})[r[2]] = r
for (reg, act), d in data.items():
    line = [reg, act]
    for y in years:
        line += [d["당해년가격"][idx[y]], d["2010년 기준년가격(연쇄)"][idx[y]]]
    out.append(line)
with open("kosis_grdp_two_row_header.csv", "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f).writerows(out)
