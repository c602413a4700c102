"""Peer fixture for zone comparison: scikit-learn's adjusted_rand_score between the
labour-market areas Regis draws for Sardinia 2001 (Istat commuting, 377 municipalities) and
the 2001 provinces (first two digits of the Istat code: 90 Sassari, 91 Nuoro, 92 Cagliari,
95 Oristano).

Run from the repository root after building regis:
    target/debug/regis zones lma --input tests/inputs/sardinia_2001_commuting.csv --format csv > /tmp/sardinia_zones.csv
    python3 tests/peers/make_zone_fixtures.py /tmp/sardinia_zones.csv
Writes crates/regis-methods/tests/fixtures/zones_ari.json.
"""
import csv
import json
import sys

import sklearn
from sklearn.metrics import adjusted_rand_score

rows = list(csv.DictReader(open(sys.argv[1])))
units = [r["unit"] for r in rows]
zones = [int(r["zone"]) for r in rows]
provinces = [int(u[:2]) for u in units]
out = {
    "peer": f"scikit-learn {sklearn.__version__} adjusted_rand_score",
    "data": "tests/inputs/sardinia_2001_commuting.csv (Istat 2001)",
    "units": units,
    "zones": zones,
    "provinces": provinces,
    "ari_zones_vs_provinces": adjusted_rand_score(provinces, zones),
}
json.dump(out, open("crates/regis-methods/tests/fixtures/zones_ari.json", "w"), indent=1)
print(out["ari_zones_vs_provinces"])
