"""The sectors files of the Bank of Korea's 2020 table at 33 and 165 sectors in the form
`regis io` reads (tests/inputs/io_kr33_sectors.csv, io_kr165_sectors.csv): sector, output
(9310), compensation (9610), operating_surplus (gross: 9621 operating surplus + 9622
consumption of fixed capital, so that the three parts add up to value added 9690),
taxes_on_production (9630) and employment (FTE, 2020).
Run from the repository root:  python3 tests/inputs/make_io_kr.py"""
import csv

for size in (33, 165):
    D = f"data/korea/io/io_2020_{size}_"
    codes = [r["code"] for r in csv.DictReader(open(D + "sectors.csv", encoding="utf-8"))]
    get = {c: {} for c in codes}
    for r in csv.DictReader(open(D + "output.csv", encoding="utf-8")):
        if r["item_code"] == "9310":
            get[r["sector_code"]]["output"] = int(r["value"])
    for r in csv.DictReader(open(D + "value_added.csv", encoding="utf-8")):
        get[r["sector_code"]][r["item_code"]] = int(r["value"])
    for r in csv.DictReader(open(D + "employment.csv", encoding="utf-8")):
        get[r["sector_code"]]["employment"] = int(r["employed_fte_2020"])
    with open(f"tests/inputs/io_kr{size}_sectors.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sector", "output", "compensation", "operating_surplus",
                    "taxes_on_production", "employment"])
        for c in codes:
            g = get[c]
            assert g["9610"] + g["9621"] + g["9622"] + g["9630"] == g["9690"], c
            w.writerow([c, g["output"], g["9610"], g["9621"] + g["9622"], g["9630"],
                        g["employment"]])
