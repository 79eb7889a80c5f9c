"""Matching speed: the NumPy index against the same ranking as one SQL query.

    .venv/bin/python bench/match.py --spaces 1000000 [--repeat 5] [--seed 7]

Generates N synthetic available spaces in 300 parks (kinds, deals, areas, prices, technical
data, park districts, leading industries and tax minimums in realistic proportions), builds
the in-memory index (parklink.matching.scoring.SpaceIndex) from arrays and writes the same
rows into a temporary SQLite database. For a mix of requirements parsed from real-style
sentences it ranks the top 10 with `scoring.rank` (reasons included) and with one SQL query
(`ORDER BY score DESC, id LIMIT 10`, the score computed in SQL with the same formula and the
same float64 operation order), and prints one JSON line:

    {"spaces", "requirements", "p50_ms", "p95_ms", "cpu_p95_ms", "sql_p50_ms", "sql_p95_ms",
     "speedup", "top10_agreement", "top10_identical", "build_s"}

`p50_ms`/`p95_ms` are wall-clock; `cpu_p95_ms` is the process CPU time of the same calls (the
machine is shared: wall-clock includes time spent waiting for a core).

`speedup` = sql_p95_ms / p95_ms; `top10_agreement` is the mean share of the SQL top-10 ids
found in the NumPy top-10; `top10_identical` is true when every ordered list is equal.
No Django settings needed; nothing is written outside the system temp folder.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parklink.matching.columns import DEALS, ParkTable, SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.parse import KINDS, Requirement, parse_text
from parklink.matching.ranking import rank
from parklink.matching.scores import _active_weights, _tech_criteria, area_bounds, lead_tax_per_m2
from parklink.zh.places import BEIJING_DISTRICTS

INDUSTRIES = (
    "生物医药",
    "医药健康",
    "医疗器械",
    "集成电路",
    "人工智能",
    "新一代信息技术",
    "智能制造",
    "高端装备",
    "新能源汽车",
    "新材料",
    "航空航天",
    "现代物流",
    "食品",
    "数字经济",
    "机器人",
)

SENTENCES = (
    "做体外诊断试剂的,想在亦庄或者大兴租一千五百平左右的厂房,要能办环评,"
    "楼板承重800公斤以上,租金每天不超过3块",
    "生物药生产,2000平,亦庄",
    "朝阳或者海淀找研发楼800平左右,每天4块以内,做集成电路设计的",
    "顺义或者通州买50亩工业用地,总价1.5亿以内,年纳税约2000万",
    "找个3000平的仓库,层高9米以上,承重3吨/平方米",
    "精密制造企业,需要5000平方米左右的厂房,配电500kVA,年纳税300万",
    "需要1000平左右的空间",
    "海淀实验室300平,不要地下室,预算每平米每天6元",
)


def generate(n: int, seed: int) -> tuple[ParkTable, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    P = 300
    districts = [BEIJING_DISTRICTS[i % 16] for i in rng.permutation(P)]
    industries = [
        tuple(sorted({INDUSTRIES[j] for j in rng.integers(0, len(INDUSTRIES), rng.integers(0, 4))}))
        for _ in range(P)
    ]
    min_tax = np.where(rng.random(P) < 0.6, np.nan, np.round(rng.uniform(200, 1500, P), 0))
    parks = ParkTable(
        ids=list(range(1, P + 1)),
        names=[f"园区{i:03d}" for i in range(1, P + 1)],
        districts=districts,
        industries=industries,
        min_tax=min_tax,
    )
    kind = rng.choice(len(KINDS), n, p=[0.40, 0.05, 0.20, 0.15, 0.10, 0.10]).astype(np.int8)
    deal = (rng.random(n) < 0.2).astype(np.int8)  # 20 % for sale
    area = np.round(np.clip(rng.lognormal(7.3, 1.0, n), 50, 100000), 2)
    divisible = rng.random(n) < 0.2
    minlet = np.where(divisible, np.round(area * rng.uniform(0.05, 0.5, n), 2), area)
    rent = np.round(rng.uniform(0.8, 8.0, n), 2)
    sale = np.round(rng.uniform(8000, 40000, n), 0)
    price = np.where(deal == 0, rent, sale)
    price = np.where(rng.random(n) < 0.1, np.nan, price)

    def maybe(values: np.ndarray, share_nan: float) -> np.ndarray:
        return np.where(rng.random(n) < share_nan, np.nan, values)

    cols = {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "park": rng.integers(0, P, n).astype(np.int32),
        "kind": kind,
        "deal": deal,
        "area": area,
        "minlet": minlet,
        "price": price,
        "height": maybe(np.round(rng.uniform(3, 15, n), 1), 0.3),
        "load": maybe(np.round(rng.uniform(300, 3000, n), 0), 0.3),
        "power": maybe(np.round(rng.uniform(50, 5000, n), 0), 0.4),
        "dual": rng.random(n) < 0.3,
        "gmp": rng.random(n) < 0.1,
        "env": rng.random(n) < 0.5,
        "clean": rng.random(n) < 0.15,
        "basement": rng.random(n) < 0.05,
    }
    return parks, cols


def write_sqlite(path: str, parks: ParkTable, cols: dict[str, np.ndarray]) -> None:
    con = sqlite3.connect(path)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE park (id INTEGER PRIMARY KEY, name TEXT, district TEXT, min_tax REAL);
        CREATE TABLE park_industry (park_id INTEGER, name TEXT);
        CREATE TABLE space (
            id INTEGER PRIMARY KEY, park_id INTEGER, district TEXT, kind INTEGER, deal INTEGER,
            area REAL, minlet REAL, price REAL, height REAL, load REAL, power REAL,
            dual INTEGER, gmp INTEGER, env INTEGER, clean INTEGER, basement INTEGER);
        """
    )
    con.executemany(
        "INSERT INTO park VALUES (?,?,?,?)",
        [
            (pid, name, d, None if math.isnan(t) else float(t))
            for pid, name, d, t in zip(
                parks.ids, parks.names, parks.districts, parks.min_tax, strict=True
            )
        ],
    )
    con.executemany(
        "INSERT INTO park_industry VALUES (?,?)",
        [(pid, ind) for pid, inds in zip(parks.ids, parks.industries, strict=True) for ind in inds],
    )
    park_ids = np.array(parks.ids)
    n = len(cols["id"])

    def val(a: np.ndarray, i: int) -> object:
        v = a[i].item()
        return None if isinstance(v, float) and math.isnan(v) else v

    batch = 50000
    for s in range(0, n, batch):
        e = min(n, s + batch)
        rows = [
            (
                int(cols["id"][i]),
                int(park_ids[cols["park"][i]]),
                parks.districts[cols["park"][i]],
                int(cols["kind"][i]),
                int(cols["deal"][i]),
                *(val(cols[c], i) for c in ("area", "minlet", "price", "height", "load", "power")),
                *(int(cols[c][i]) for c in ("dual", "gmp", "env", "clean", "basement")),
            )
            for i in range(s, e)
        ]
        con.executemany("INSERT INTO space VALUES (" + ",".join("?" * 16) + ")", rows)
    con.execute("CREATE INDEX space_kdd ON space (deal, kind, district)")
    con.commit()
    con.close()


def sql_for(req: Requirement, cfg: MatchConfig, top: int) -> tuple[str, dict[str, float]]:
    """The ranking of scoring.rank as one SQL query (same formula, same operation order).
    Constants are bound as parameters so SQLite sees exactly the same doubles."""
    params: dict[str, float] = {}

    def p(value: float) -> str:
        name = f"p{len(params)}"
        params[name] = float(value)
        return f":{name}"

    where = ["1=1"]
    if req.kinds:
        where.append(f"s.kind IN ({','.join(str(KINDS.index(k)) for k in req.kinds)})")
    if req.deal:
        where.append(f"s.deal = {DEALS.index(req.deal)}")
    if req.gmp:
        where.append("s.gmp = 1")
    if req.no_basement:
        where.append("s.basement = 0")
    if req.districts:
        where.append("s.district IN (" + ",".join(f"'{d}'" for d in req.districts) + ")")
    if req.excluded_districts:
        where.append(
            "s.district NOT IN (" + ",".join(f"'{d}'" for d in req.excluded_districts) + ")"
        )

    weights = _active_weights(req, cfg)
    comp: dict[str, str] = {}
    target, lo, hi = area_bounds(req)
    eff = f"(CASE WHEN s.area > {p(target)} THEN MAX({p(target)}, s.minlet) ELSE s.area END)"
    if "area" in weights:
        pen, keep, f = cfg.area_in_range_penalty, 1.0 - cfg.area_in_range_penalty, cfg.area_falloff
        width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
        inside = f"({p(1.0)} - {p(pen)} * (ABS({eff} - {p(target)}) / {p(width)}))"
        below = f"({p(keep)} * MAX(0.0, 1.0 - ({p(lo)} - {eff}) / {p(max(lo, 1.0) * f)}))"
        if hi == math.inf:
            comp["area"] = f"(CASE WHEN {eff} < {p(lo)} THEN {below} ELSE {inside} END)"
        else:
            above = f"({p(keep)} * MAX(0.0, 1.0 - ({eff} - {p(hi)}) / {p(hi * f)}))"
            comp["area"] = (
                f"(CASE WHEN {eff} < {p(lo)} THEN {below} WHEN {eff} > {p(hi)} THEN {above} "
                f"ELSE {inside} END)"
            )
    bf, unk = cfg.budget_falloff, cfg.unknown_credit

    def cap(expr: str, c: float) -> str:
        return (
            f"(CASE WHEN s.price IS NULL THEN {p(unk)} WHEN {expr} <= {p(c)} THEN 1.0 "
            f"ELSE MAX(0.0, 1.0 - ({expr} - {p(c)}) / {p(c * bf)}) END)"
        )

    if "budget" in weights:
        rent = cap("s.price", req.rent_max_yuan_m2_day) if req.rent_max_yuan_m2_day else p(unk)
        if req.price_max_yuan_m2 is not None:
            sale = cap("s.price", req.price_max_yuan_m2)
        elif req.total_max_wan is not None:
            area = eff if "area" in weights else "s.area"
            sale = cap(f"(s.price * {area} / 10000.0)", req.total_max_wan)
        else:
            sale = p(unk)
        comp["budget"] = f"(CASE WHEN s.deal = 0 THEN {rent} ELSE {sale} END)"
    crit = _tech_criteria(req)
    if crit:
        tf = cfg.tech_falloff
        parts = []
        for c in crit:
            if c in ("height", "load", "power"):
                need = {
                    "height": req.ceiling_height_m,
                    "load": req.floor_load_kg_m2,
                    "power": req.power_kva,
                }[c]
                col = f"s.{c}"
                parts.append(
                    f"(CASE WHEN {col} IS NULL THEN {p(unk)} WHEN {col} >= {p(need)} THEN 1.0 "
                    f"ELSE MAX(0.0, 1.0 - ({p(need)} - {col}) / {p(need * tf)}) END)"
                )
            else:
                parts.append(f"(s.{c} * 1.0)")
        comp["technical"] = f"(({' + '.join(parts)}) / {p(float(len(crit)))})"
    park_cols = ["p.id"]
    if "industry" in weights:
        terms = " OR ".join(f"pi.name LIKE '%{t}%'" for t in req.park_industries)
        park_cols.append(
            "(CASE WHEN EXISTS (SELECT 1 FROM park_industry pi WHERE pi.park_id = p.id AND "
            f"({terms})) THEN 1.0 WHEN NOT EXISTS (SELECT 1 FROM park_industry pi "
            f"WHERE pi.park_id = p.id) THEN {p(cfg.industry_unknown_credit)} ELSE 0.0 END) "
            "AS ind"
        )
        comp["industry"] = "pk.ind"
    if "tax" in weights:
        t = lead_tax_per_m2(req)
        park_cols.append(
            f"(CASE WHEN p.min_tax IS NULL OR {p(t)} >= p.min_tax THEN 1.0 "
            f"ELSE {p(t)} / p.min_tax END) AS tax"
        )
        comp["tax"] = "pk.tax"
    if weights:
        terms_sql = " + ".join(f"{p(w)} * {comp[name]}" for name, w in weights.items())
        score = f"(({terms_sql}) * {p(100.0 / sum(weights.values()))})"
    else:
        score = "100.0"
    sql = (
        f"SELECT s.id, {score} AS score FROM space s "
        f"JOIN (SELECT {', '.join(park_cols)} FROM park p) pk ON pk.id = s.park_id "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, s.id ASC LIMIT {int(top)}"
    )
    return sql, params


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spaces", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sql-repeat", type=int, default=0, help="default: repeat (≤3 above 200k)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    cfg = DEFAULT_CONFIG
    t0 = time.perf_counter()
    parks, cols = generate(args.spaces, args.seed)
    index = SpaceIndex.from_arrays(parks, [f"SP{i:08d}" for i in cols["id"]], **cols)
    build_s = time.perf_counter() - t0
    reqs = [parse_text(s) for s in SENTENCES]
    tmp = tempfile.mkdtemp(prefix="parklink-bench-")
    db = os.path.join(tmp, "match.sqlite3")
    try:
        write_sqlite(db, parks, cols)
        con = sqlite3.connect(db)
        np_ms, cpu_ms, sql_ms, agree, identical = [], [], [], [], True
        sql_repeat = args.sql_repeat or (args.repeat if args.spaces <= 200000 else 3)
        for req in reqs:
            rank(index, req, config=cfg, top=10)  # warm
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                found = rank(index, req, config=cfg, top=10)
                np_ms.append((time.perf_counter() - t) * 1000)
                cpu_ms.append((time.process_time() - c) * 1000)
            sql, named = sql_for(req, cfg, 10)
            for _ in range(sql_repeat):
                t = time.perf_counter()
                rows = con.execute(sql, named).fetchall()
                sql_ms.append((time.perf_counter() - t) * 1000)
            ours = [m.space_id for m in found]
            theirs = [r[0] for r in rows]
            agree.append(len(set(ours) & set(theirs)) / max(len(theirs), 1))
            identical &= ours == theirs
        con.close()
    finally:
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)

    def pct(values: list[float], q: float) -> float:
        return float(np.percentile(values, q))

    p95, sp95 = pct(np_ms, 95), pct(sql_ms, 95)
    print(
        json.dumps(
            {
                "spaces": args.spaces,
                "requirements": len(reqs),
                "p50_ms": round(statistics.median(np_ms), 2),
                "p95_ms": round(p95, 2),
                "cpu_p95_ms": round(pct(cpu_ms, 95), 2),
                "sql_p50_ms": round(statistics.median(sql_ms), 1),
                "sql_p95_ms": round(sp95, 1),
                "speedup": round(sp95 / p95, 1),
                "top10_agreement": round(float(np.mean(agree)), 3),
                "top10_identical": identical,
                "build_s": round(build_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
