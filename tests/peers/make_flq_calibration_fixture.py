"""Independent check of `regis io regionalise --calibrate` (regis_app::io_region::calibrate).

Written from the formulas, not from the Rust code: Flegg & Webber (1997) FLQ,
  SLQ_i = (r_i / R) / (x_i / X), CILQ_ij = SLQ_i / SLQ_j (SLQ_i on the diagonal),
  lambda = log2(1 + R / X) ** delta, FLQ_ij = lambda * CILQ_ij,
  a^r_ij = a_ij * min(FLQ_ij, 1),
with numpy's inverse for (I - A^r)^-1. The national table is the Bank of Korea's 2020
165-product domestic table summed to the 83 regional sectors by the first two digits of the
product code; a province's size in a sector is national output times the province's share of
the nation's (sum of provinces') 2017 nominal GRDP in the sector's KOSIS activity
(data/korea/io/concordance_io83.csv). The error is the mean absolute percentage error of the
in-region output multipliers against BoK's survey-based ones (rows with regional output).

Run from the repository root: python3 tests/peers/make_flq_calibration_fixture.py
Writes crates/regis-app/tests/fixtures/flq_calibration.json.
"""
import csv
import json
import math

import numpy as np

IO = "data/korea/io/"
ACTIVITY = {  # KOSIS activity name (2017 regional accounts) -> Regis code
    "농림어업": "A", "광업": "B", "음식료품및담배제조업": "C1", "섬유및가죽제품제조업": "C2",
    "목재,종이,인쇄 및 복제업": "C3", "석탄 및 석유, 화학제품 제조업": "C4",
    "비금속광물 및 금속제품 제조업": "C5", "전기 전자 및 정밀기기 제조업": "C6",
    "기계 운송장비 및 기타 제품 제조업": "C7", "전기,가스,증기및수도사업": "DE", "건설업": "F",
    "도매및소매업": "G", "운수업": "H", "숙박및음식점업": "I",
    "출판,영상, 방송통신 및 정보서비스업": "J", "금융및보험업": "K", "부동산업및임대업": "L",
    "사업서비스업": "MN", "공공행정,국방및사회보장행정": "O", "교육서비스업": "P",
    "보건업및사회복지서비스업": "Q", "문화 및 기타서비스업": "RS", "총부가가치(기초가격)": "GVA",
}
SIDO = {  # province name in the GRDP file -> SGIS code
    "서울특별시": "11", "부산광역시": "21", "대구광역시": "22", "인천광역시": "23", "광주광역시": "24",
    "대전광역시": "25", "울산광역시": "26", "경기도": "31", "강원도": "32", "충청북도": "33",
    "충청남도": "34", "전라북도": "35", "전라남도": "36", "경상북도": "37", "경상남도": "38",
    "제주특별자치도": "39",
}
DELTAS = [round(0.05 * k, 2) for k in range(19)]

conc = list(csv.DictReader(open(IO + "concordance_io83.csv", encoding="utf-8")))
codes = [c["io83_code"] for c in conc]
pos = {c: k for k, c in enumerate(codes)}
n = len(codes)
z = np.zeros((n, n))
for r in csv.DictReader(open(IO + "io_2020_165_flows.csv", encoding="utf-8")):
    z[pos[r["from_code"][:2]], pos[r["to_code"][:2]]] += float(r["value"])
x = np.zeros(n)
for r in csv.DictReader(open(IO + "io_2020_165_output.csv", encoding="utf-8")):
    if r["item_code"] == "9310":
        x[pos[r["sector_code"][:2]]] += float(r["value"])
a = z / x[None, :]

grdp = {}
for r in csv.DictReader(open("data/korea/kosis/grdp_sido_activity_1985_2017.csv", encoding="utf-8")):
    if r["year"] == "2017" and r["price_basis"] == "nominal" and r["sido_name"] in SIDO:
        if r["activity"] in ACTIVITY:
            grdp[(SIDO[r["sido_name"]], ACTIVITY[r["activity"]])] = float(r["value_million_krw"])
provinces = sorted({p for p, _ in grdp})
nation = {act: sum(grdp.get((p, act), 0.0) for p in provinces) for act in ACTIVITY.values()}

survey = {}
for r in csv.DictReader(open(IO + "regional_induced_coef_2020.csv", encoding="utf-8")):
    if r["no_regional_output_flag"] != "1":
        survey[(r["sgis_sido_code"], r["sector_code"])] = float(r["production_in_region"])


def in_region_multipliers(sizes, delta):
    slq = (sizes / sizes.sum()) / (x / x.sum())
    q = slq[:, None] / slq[None, :]
    np.fill_diagonal(q, slq)
    if delta is not None:
        q = q * math.log2(1 + sizes.sum() / x.sum()) ** delta
    r = a * np.minimum(q, 1.0)
    return np.linalg.inv(np.eye(n) - r).sum(axis=0)


out = {"deltas": DELTAS, "provinces": {}}
for p in provinces:
    share = {act: grdp.get((p, act), 0.0) / nation[act] for act in ACTIVITY.values()}
    sizes = np.array([x[k] * share[conc[k]["grdp_activity"] or "GVA"] for k in range(n)])
    truth = [(k, survey[(p, c)]) for k, c in enumerate(codes) if (p, c) in survey]

    def mape(m):
        return 100 * sum(abs(m[k] - t) / t for k, t in truth) / len(truth)

    out["provinces"][p] = {
        "sectors": len(truth),
        "mape_by_delta": [mape(in_region_multipliers(sizes, d)) for d in DELTAS],
    }
    # SLQ: a^r_ij = a_ij * min(SLQ_i, 1)
    slq = (sizes / sizes.sum()) / (x / x.sum())
    m = np.linalg.inv(np.eye(n) - a * np.minimum(slq, 1.0)[:, None]).sum(axis=0)
    out["provinces"][p]["mape_slq"] = mape(m)

json.dump(out, open("crates/regis-app/tests/fixtures/flq_calibration.json", "w"), indent=1)
print({p: (v["mape_slq"], min(v["mape_by_delta"])) for p, v in out["provinces"].items()})
