"""Writes long_year_region_ind.parquet: the same table as long_year_region_ind.csv, written by
pandas/pyarrow with snappy compression (pyarrow's default), region codes as integers as pandas
infers them. Run from tests/inputs: python3 make_parquet.py (needs pandas, pyarrow)."""
import pandas as pd

d = pd.read_csv("long_year_region_ind.csv")
d.to_parquet("long_year_region_ind.parquet", compression="snappy", index=False)
