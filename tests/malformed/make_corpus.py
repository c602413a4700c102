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
