"""Writes the malformed-input corpus (one file per failure kind). Run from this folder:
python3 make_corpus.py. The files are committed; this script documents how they were made.
Values are small real figures (KOSIS population 2001) so that only the defect differs."""
import os

def w(name, text, enc="utf-8"):
    with open(name, "wb") as f:
        f.write(text.encode(enc) if isinstance(text, str) else text)

good = "year,region,value\n2001,11,10091137\n2001,21,3716425\n"
w("duplicate.csv", good + "2001,11,10091137\n")
w("negative_count.csv", "year,region,value\n2001,11,-5\n")
w("unknown_code.csv", "year,region,value\n2001,99,10091137\n")
w("near_miss_name.csv", "year,region,value\n2001,Seol,10091137\n")
w("ambiguous_code.csv", "year,region,value\n2001,26,1046883\n")
w("mixed_units.csv", "year,region,unit,value\n2001,11,백만원,172078117\n2001,21,천원,45000000000\n")
w("non_numeric.csv", "year,region,value\n2001,11,10091137\n2001,21,37l6425\n")
w("bad_period.csv", "year,region,value\n2001,11,10091137\n20O1,21,3716425\n")
w("cp949_read_as_utf8.csv", "연도,시도,값\n2001,서울특별시,10091137\n", "cp949")
w("invalid_bytes.csv", b"year,region,value\n2001,11,10091137\n2001,\xff\xfe\xff,3716425\n")
w("truncated_quote.csv", 'year,region,value\n2001,11,10091137\n2001,"Busan,3716425\n2001,22,2535374\n')
w("ragged_row.csv", "year,region,value\n2001,11,10091137\n2001,21,3716425,99\n")
w("empty.csv", b"")
w("header_only.csv", "year,region,value\n")
w("missing_value_column.csv", "year,region,amount\n2001,11,10091137\n")
w("unknown_industry.csv", "year,region,activity,value\n2001,11,제조업,9614841\n2001,11,반도체업,1\n")
w("unresolved_dimension.csv", "year,region,price,value\n2001,11,nominal,172078117\n2001,11,real,200000000\n")
with open(os.path.join("..", "..", "data", "korea", "kosis", "101_DT_1C61_20190217115851.xlsx"), "rb") as f:
    w("truncated.xlsx", f.read()[:3000])
w("not_really.xlsx", good)
with open(os.path.join("..", "inputs", "long_year_region_ind.parquet"), "rb") as f:
    w("truncated.parquet", f.read()[:2000])
w("binary.csv", b"year,region,value\n2001,11,\x00\x00\x01\n")
w("negative_flow.csv", "orig,dest,year,flow\nSeoul,Busan,2012,21437\nBusan,Seoul,2012,-3\n")
w("duplicate_flow.csv", "orig,dest,year,flow\nSeoul,Busan,2012,21437\nSeoul,Busan,2012,21437\n")
w("filter_matches_nothing.csv", "year,region,sex,value\n2001,11,계,10091137\n")
w("unknown_encoding_flag.csv", good)
w("builtin_measure_id.csv", good)
w("crlf_line_numbers.csv", "year,region,value\r\n2001,11,1\r\n2001,21,2\r\n2001,22,3\r\n2001,23,zz\r\n")
w("industry_near_miss.csv", "year,region,activity,value\n2001,11,제조업,9614841\n2001,11,건설업,8013385\n2001,11,광업,38904\n2001,11,건설엽,1\n")
w("semicolon_nonnumeric_thousands.csv", "year;region;value\n2001;11;10.091.137,5x\n")

# Cases added with the reading budgets and the sub-annual refusal (issue 12).
import zipfile


def xlsx(name, sheet_xml, shared=None, styles=None, compress=zipfile.ZIP_DEFLATED):
    # `shared`: the text of xl/sharedStrings.xml, when the case needs one.
    """A minimal workbook written part by part, so that a case can hold exactly its defect."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          + ('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' if styles else '')
          + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if shared else '')
          + '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' if styles else '')
              + ('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared else '')
              + '</Relationships>')
    with zipfile.ZipFile(name, "w", compress, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        if styles:
            z.writestr("xl/styles.xml", styles)
        if shared:
            z.writestr("xl/sharedStrings.xml", shared)
        if isinstance(sheet_xml, str):
            z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        else:  # a generator of byte chunks, for parts too large to hold
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for chunk in sheet_xml:
                    f.write(chunk)


SHEET = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


# One cell in A1 and one in XFD1048576: 17 billion cells declared and spanned by a 1.5 KB file.
xlsx("xlsx_dimension_bomb.xlsx", SHEET.format(
    dim='<dimension ref="A1:XFD1048576"/>',
    rows=f'<row r="1">{inline("A1", "year")}</row><row r="1048576">{inline("XFD1048576", "x")}</row>'))
# The same span without the declaration: only the cells tell.
xlsx("xlsx_cells_span_bomb.xlsx", SHEET.format(
    dim='', rows=f'<row r="1">{inline("A1", "year")}{inline("B1", "region")}</row><row r="1048576">{inline("XFD1048576", "x")}</row>'))


def bomb_rows(total):
    yield SHEET.split("{rows}")[0].format(dim="").encode()
    row = '<row><c t="inlineStr"><is><t>' + "0" * 1000 + '</t></is></c></row>'
    row = row.encode()
    for _ in range(total // len(row)):
        yield row
    yield b"</sheetData></worksheet>"


# About 1 MB on disk, 600 MB of XML once inflated: over the 512 MiB default.
xlsx("xlsx_decompression_bomb.xlsx", bomb_rows(600 * 1024 * 1024))


def long_cell(size):
    yield SHEET.split("{rows}")[0].format(dim="").encode()
    yield f'<row r="1">{inline("A1", "year")}{inline("B1", "region")}{inline("C1", "value")}</row><row r="2"><c r="A2" t="inlineStr"><is><t>'.encode()
    for _ in range(size // 65536):
        yield b"7" * 65536
    yield b"</t></is></c></row></sheetData></worksheet>"


# A single 2 MiB cell: over the 1 MiB per-cell default.
xlsx("xlsx_long_cell.xlsx", long_cell(2 * 1024 * 1024))

# Period cells that are Excel dates (numFmt 14): days, not years.
DATE_STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
               '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
xlsx("xlsx_date_periods.xlsx", SHEET.format(dim='<dimension ref="A1:C3"/>', rows=(
    f'<row r="1">{inline("A1", "year")}{inline("B1", "region")}{inline("C1", "value")}</row>'
    '<row r="2"><c r="A2" s="1"><v>42005</v></c><c r="B2"><v>11</v></c><c r="C2"><v>9904312</v></c></row>'
    '<row r="3"><c r="A3" s="1"><v>42005</v></c><c r="B3"><v>21</v></c><c r="C3"><v>3448737</v></c></row>')),
    styles=DATE_STYLES)

w("monthly_periods.csv", "year,region,value\n2015년 01월,11,1\n2015년 02월,11,2\n")
w("monthly_wide.csv", "region,2015-01,2015-02\n11,1,2\n")
w("quarterly_periods.csv", "period,region,value\n2015Q1,11,1\n2015Q2,11,2\n")
w("duplicate_header.csv", "year,region,value,value\n2015,11,9904312,1\n")
w("decimal_comma_two_commas.csv", "year;region;value\n2015;11;9904312,5\n2015;21;1,234,5\n")
# Hangul in UTF-8 with one CP949-encoded name pasted in.
w("mostly_utf8.csv", "연도,시도,값\n2015,서울특별시,9904312\n2015,부산광역시,3448737\n".encode("utf-8")
  + "2015,대구광역시,2466052\n".encode("cp949"))

# Found by review: three ways round the first budgets.
SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{u}">{items}</sst>'
# A shared-strings table declaring a trillion strings (the reader reserved that many).
xlsx("xlsx_shared_strings_count.xlsx", SHEET.format(dim="", rows='<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'),
     shared=SST.format(n=10**12, u=10**12, items="<si><t>year</t></si><si><t>region</t></si>"))
# One 32 KiB shared string in 20,000 cells: 655 MB of text from a small file.
long_text = "x" * 32768
xlsx("xlsx_shared_string_copies.xlsx", SHEET.format(dim="", rows=
     '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>'
     + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 20002))),
     shared=SST.format(n=20002, u=3, items=f"<si><t>{long_text}</t></si><si><t>year</t></si><si><t>region</t></si>"))
# 60,000 rows with cells only in columns AMI and AMJ: ten narrow columns by the used range,
# but rows are built from column A (61 million cells).
xlsx("xlsx_far_columns.xlsx", SHEET.format(dim="", rows="".join(
     f'<row r="{r}"><c r="AMI{r}"><v>1</v></c><c r="AMJ{r}"><v>2</v></c></row>' for r in range(1, 60001))))
