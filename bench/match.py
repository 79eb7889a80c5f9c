"""Matching speed: the NumPy index against its fair references, side by side in one run.

    .venv/bin/python bench/match.py --spaces 1000000 [--repeat 9] [--seed 7] [--no-duckdb]

Generates N synthetic available spaces in 300 parks (kinds, deals, areas, prices, technical
data, cleanroom classes, availability dates, park districts, coordinates, leading industries
and tax minimums in realistic proportions), builds the in-memory index
(`parklink.matching.columns.SpaceIndex`) from arrays, and loads the same rows into

- SQLite (a temporary file, one index on (deal, kind, district)), and
- DuckDB (in memory, ``SET threads = 1``: one core, like one request of the index).

For a mix of requirements parsed from real-style sentences (Chinese and English, hard
filters, soft preferences, places to be near, approximate numbers, cleanroom classes, land,
move-in dates, and one that states no filter at all) it ranks the top 10 with
`ranking.rank` (reasons included) and with ONE SQL query per requirement computing the same
score with the same float64 operation order (``ORDER BY score DESC, id LIMIT 10``). The
park-level terms (industry fit, tax fit, location preference) are a subquery materialised
once per query (``WITH pk AS MATERIALIZED``), not re-run per row. Prints one JSON line:

    {"spaces", "requirements", "p50_ms", "p95_ms", "cpu_p95_ms", "cpu_worst_ms",
     "sqlite_p50_ms", "sqlite_p95_ms", "duckdb_p50_ms", "duckdb_p95_ms",
     "ratio_sqlite_p95", "ratio_duckdb_p95", "top10_identical_sqlite",
     "top10_identical_duckdb", "build_s", "index_mb", "per_requirement": [...]}

`p50_ms`/`p95_ms` are wall-clock over all requirements × repeats; `cpu_*` the process CPU
time of the same calls (the machine is shared: wall-clock includes waiting for a core);
`cpu_worst_ms` is the worst requirement's median CPU time. Ratios are reference p95 / index
p95. Nothing is written outside the system temp folder; no Django settings are needed.
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
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parklink.matching.columns import DEALS, KIND_CODE, LAND, ParkTable, SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.filters import allowed_kinds, excluded_park_rows
from parklink.matching.parse import parse_text
from parklink.matching.ranking import rank
from parklink.matching.requirement import KINDS, Requirement
from parklink.matching.scores import (
    TECH_BUILDING,
    active_weights,
    area_bounds,
    lead_tax_per_m2,
    move_in_day,
    park_distances,
    scale_factors,
    tech_criteria,
    tech_weights,
)
from parklink.zh.places import BEIJING_DISTRICTS, DISTRICT_EN

TODAY = date(2026, 12, 1)
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
    "顺义优先,三四千平的厂房,每天不超过1块5,最好有双回路",
    "3,000 sqm warehouse near the airport, move in by March 2027, under RMB 1.2/sqm/day",
    "十万级洁净厂房两千平左右,亦庄附近,明年二季度入驻",
    "做生物药的,买二十来亩地,每亩不超过80万",
    "生物药生产厂房2500平,层高8米,承重1吨,不考虑亦庄",
    "大兴的研发楼1000平左右,便宜点,不要化工园区",
    "lab 500 sqm, not in E-Town, no chemical industry, as cheap as possible",
    "写字楼300平左右 不要顶层 不要地下室 近地铁 海淀",
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
    seat = np.array([DISTRICT_EN[d][1:] for d in districts])
    known = rng.random(P) < 0.7  # 30 % of parks without coordinates: their district's seat
    lat = np.where(known, np.round(seat[:, 0] + rng.normal(0, 0.05, P), 5), np.nan)
    lng = np.where(known, np.round(seat[:, 1] + rng.normal(0, 0.05, P), 5), np.nan)
    parks = ParkTable(
        ids=list(range(1, P + 1)),
        names=[f"园区{i:03d}" for i in range(1, P + 1)],
        districts=districts,
        industries=industries,
        min_tax=min_tax,
        lat=lat,
        lng=lng,
    )
    kind = rng.choice(len(KINDS), n, p=[0.40, 0.05, 0.20, 0.15, 0.10, 0.10]).astype(np.int8)
    deal = (rng.random(n) < 0.2).astype(np.int8)  # 20 % for sale
    area = np.round(np.clip(rng.lognormal(7.3, 1.0, n), 50, 100000), 2)
    area = np.where(kind == LAND, np.round(area * 8, 2), area)  # plots are larger
    divisible = rng.random(n) < 0.2
    minlet = np.where(divisible, np.round(area * rng.uniform(0.05, 0.5, n), 2), area)
    rent = np.round(rng.uniform(0.8, 8.0, n), 2)
    sale = np.round(rng.uniform(8000, 40000, n), 0)
    sale = np.where(kind == LAND, np.round(sale / 20, 0), sale)
    price = np.where(deal == 0, rent, sale)
    price = np.where(rng.random(n) < 0.1, np.nan, price)

    def maybe(values: np.ndarray, share_nan: float) -> np.ndarray:
        return np.where(rng.random(n) < share_nan, np.nan, values)

    day0 = (TODAY - date(1970, 1, 1)).days
    clean = rng.random(n) < 0.15
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
        "avail": maybe(np.round(day0 + rng.uniform(1, 400, n)), 0.7),
        "clean_iso": np.where(
            clean & (rng.random(n) < 0.8), rng.choice([5.0, 6.0, 7.0, 8.0, 8.5], n), np.nan
        ),
        "dual": rng.random(n) < 0.3,
        "gmp": rng.random(n) < 0.1,
        "env": rng.random(n) < 0.5,
        "clean": clean,
        "basement": rng.random(n) < 0.05,
        "top": rng.random(n) < 0.12,
    }
    return parks, cols


_NULLABLE = ("area", "minlet", "price", "height", "load", "power", "avail", "clean_iso")
_FLAGS = ("dual", "gmp", "env", "clean", "basement", "top")
SPACE_COLS = ("id", "park_id", "district", "kind", "deal", *_NULLABLE, *_FLAGS)


def write_sqlite(path: str, parks: ParkTable, cols: dict[str, np.ndarray]) -> None:
    con = sqlite3.connect(path)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE park (id INTEGER PRIMARY KEY, name TEXT, district TEXT, min_tax REAL);
        CREATE TABLE park_industry (park_id INTEGER, name TEXT);
        CREATE TABLE space (
            id INTEGER PRIMARY KEY, park_id INTEGER, district TEXT, kind INTEGER, deal INTEGER,
            area REAL, minlet REAL, price REAL, height REAL, load REAL, power REAL, avail REAL,
            clean_iso REAL, dual INTEGER, gmp INTEGER, env INTEGER, clean INTEGER,
            basement INTEGER, top INTEGER);
        """
    )
    con.executemany("INSERT INTO park VALUES (?,?,?,?)", _park_rows(parks))
    con.executemany("INSERT INTO park_industry VALUES (?,?)", _industry_rows(parks))
    park_ids = np.array(parks.ids)
    n = len(cols["id"])
    batch = 50000
    for s in range(0, n, batch):
        e = min(n, s + batch)
        parts = [
            cols["id"][s:e].tolist(),
            park_ids[cols["park"][s:e]].tolist(),
            [parks.districts[p] for p in cols["park"][s:e]],
            cols["kind"][s:e].tolist(),
            cols["deal"][s:e].tolist(),
        ]
        for c in _NULLABLE:
            v = cols[c][s:e]
            parts.append([None if math.isnan(x) else x for x in v.tolist()])
        parts += [cols[c][s:e].astype(int).tolist() for c in _FLAGS]
        con.executemany(
            f"INSERT INTO space VALUES ({','.join('?' * len(SPACE_COLS))})",
            zip(*parts, strict=True),
        )
    con.execute("CREATE INDEX space_kdd ON space (deal, kind, district)")
    con.commit()
    con.close()


def _park_rows(parks: ParkTable) -> list[tuple]:
    return [
        (pid, name, d, None if math.isnan(t) else float(t))
        for pid, name, d, t in zip(
            parks.ids, parks.names, parks.districts, parks.min_tax, strict=True
        )
    ]


def _industry_rows(parks: ParkTable) -> list[tuple]:
    return [
        (pid, ind) for pid, inds in zip(parks.ids, parks.industries, strict=True) for ind in inds
    ]


def load_duckdb(parks: ParkTable, cols: dict[str, np.ndarray]):  # type: ignore[no-untyped-def]
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")
    park_ids = np.array(parks.ids)
    dcodes = np.array(parks.districts)
    data = {
        "id": cols["id"],
        "park_id": park_ids[cols["park"]],
        "district": dcodes[cols["park"]],
        "kind": cols["kind"].astype(np.int32),
        "deal": cols["deal"].astype(np.int32),
        **{c: cols[c] for c in _NULLABLE},
        **{c: cols[c].astype(np.int32) for c in _FLAGS},
    }
    con.register("space_np", data)
    select = ", ".join(
        f"CASE WHEN isnan({c}) THEN NULL ELSE {c} END AS {c}" if c in _NULLABLE else c
        for c in SPACE_COLS
    )
    con.execute(f"CREATE TABLE space AS SELECT {select} FROM space_np")
    con.unregister("space_np")
    con.execute("CREATE TABLE park (id INTEGER, name VARCHAR, district VARCHAR, min_tax DOUBLE)")
    con.executemany("INSERT INTO park VALUES (?,?,?,?)", _park_rows(parks))
    con.execute("CREATE TABLE park_industry (park_id INTEGER, name VARCHAR)")
    con.executemany("INSERT INTO park_industry VALUES (?,?)", _industry_rows(parks))
    return con


def sql_for(
    req: Requirement, cfg: MatchConfig, top: int, parks: ParkTable, dialect: str = "sqlite"
) -> tuple[str, dict[str, float], list[tuple[int, float]]]:
    """The ranking of `ranking.rank` as one SQL query (same formula, same operation order),
    with the park-level terms in a subquery materialised once. Constants are bound as
    parameters so the engine sees exactly the same doubles. Returns (sql, params, near rows
    (park id, km) for the `near` table)."""
    params: dict[str, float] = {}
    greatest = "MAX" if dialect == "sqlite" else "GREATEST"
    least = "MIN" if dialect == "sqlite" else "LEAST"

    def p(value: float) -> str:
        name = f"p{len(params)}"
        params[name] = float(value)
        return f"${name}" if dialect == "duckdb" else f":{name}"

    def strs(values: tuple[str, ...] | list[str]) -> str:
        return ",".join("'" + v.replace("'", "''") + "'" for v in values)

    where = ["1=1"]
    codes = allowed_kinds(req)
    if codes:
        where.append(f"s.kind IN ({','.join(str(c) for c in codes)})")
    if req.excluded_kinds:
        where.append(f"s.kind NOT IN ({','.join(str(KIND_CODE[k]) for k in req.excluded_kinds)})")
    if req.deal:
        where.append(f"s.deal = {DEALS.index(req.deal)}")
    if req.gmp and "gmp" not in req.soft:
        where.append(f"(s.gmp = 1 OR s.kind = {LAND})" if "土地" in req.kinds else "s.gmp = 1")
    if req.no_basement and "basement" not in req.soft:
        where.append("s.basement = 0")
    if req.no_top_floor and "top_floor" not in req.soft:
        where.append("s.top = 0")
    if req.districts:
        where.append(f"s.district IN ({strs((*req.districts, *req.preferred_districts))})")
    if req.excluded_districts:
        where.append(f"s.district NOT IN ({strs(req.excluded_districts)})")
    out_parks = [parks.ids[r] for r in excluded_park_rows(parks, req)]
    if out_parks:
        where.append(f"s.park_id NOT IN ({','.join(map(str, out_parks))})")
    for c in req.hard:
        col, need = {
            "ceiling_height_m": ("height", req.ceiling_height_m),
            "floor_load_kg_m2": ("load", req.floor_load_kg_m2),
            "power_kva": ("power", req.power_kva),
        }.get(c, (None, None))
        if col and need is not None:
            land_ok = f" OR s.kind = {LAND}" if col in ("height", "load") else ""
            where.append(f"(s.{col} IS NULL OR s.{col} >= {p(need)}{land_ok})")

    weights = active_weights(req, cfg)
    comp: dict[str, str] = {}
    target, lo, hi = area_bounds(req)
    eff = f"(CASE WHEN s.area > {p(target)} THEN {greatest}({p(target)}, s.minlet) ELSE s.area END)"
    if "area" in weights:
        pen, keep, f = cfg.area_in_range_penalty, 1.0 - cfg.area_in_range_penalty, cfg.area_falloff
        width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
        inside = f"({p(1.0)} - {p(pen)} * (ABS({eff} - {p(target)}) / {p(width)}))"
        below = f"({p(keep)} * {greatest}(0.0, 1.0 - ({p(lo)} - {eff}) / {p(max(lo, 1.0) * f)}))"
        if hi == math.inf:
            comp["area"] = f"(CASE WHEN {eff} < {p(lo)} THEN {below} ELSE {inside} END)"
        else:
            above = f"({p(keep)} * {greatest}(0.0, 1.0 - ({eff} - {p(hi)}) / {p(hi * f)}))"
            comp["area"] = (
                f"(CASE WHEN {eff} < {p(lo)} THEN {below} WHEN {eff} > {p(hi)} THEN {above} "
                f"ELSE {inside} END)"
            )
    bf, unk = cfg.budget_falloff, cfg.unknown_credit

    def cap(expr: str, c: float) -> str:
        return (
            f"(CASE WHEN s.price IS NULL THEN {p(unk)} WHEN {expr} <= {p(c)} THEN 1.0 "
            f"ELSE {greatest}(0.0, 1.0 - ({expr} - {p(c)}) / {p(c * bf)}) END)"
        )

    if "budget" in weights:
        rent = (
            cap("s.price", req.rent_max_yuan_m2_day)
            if req.rent_max_yuan_m2_day is not None
            else p(unk)
        )
        if req.price_max_yuan_m2 is not None:
            sale = cap("s.price", req.price_max_yuan_m2)
        elif req.total_max_wan is not None:
            area = eff if "area" in weights else "s.area"
            sale = cap(f"(s.price * {area} / 10000.0)", req.total_max_wan)
        else:
            sale = p(unk)
        comp["budget"] = f"(CASE WHEN s.deal = 0 THEN {rent} ELSE {sale} END)"
    crit = tech_criteria(req)
    if crit:
        tf = cfg.tech_falloff
        parts: dict[str, str] = {}
        for c in crit:
            if c in ("height", "load", "power"):
                need = {
                    "height": req.ceiling_height_m,
                    "load": req.floor_load_kg_m2,
                    "power": req.power_kva,
                }[c]
                col = f"s.{c}"
                parts[c] = (
                    f"(CASE WHEN {col} IS NULL THEN {p(unk)} WHEN {col} >= {p(need)} THEN 1.0 "
                    f"ELSE {greatest}(0.0, 1.0 - ({p(need)} - {col}) / {p(need * tf)}) END)"
                )
            elif c == "clean" and req.cleanroom_iso is not None:
                need, step = req.cleanroom_iso, cfg.cleanroom_class_step
                parts[c] = (
                    f"(CASE WHEN s.clean = 0 THEN 0.0 WHEN s.clean_iso IS NULL THEN {p(unk)} "
                    f"WHEN s.clean_iso <= {p(need)} THEN 1.0 "
                    f"ELSE {greatest}(0.0, 1.0 - {p(step)} * (s.clean_iso - {p(need)})) END)"
                )
            else:
                parts[c] = f"(s.{c} * 1.0)"
        tw = dict(zip(crit, tech_weights(req, cfg), strict=True))
        terms = [f"{p(tw[c])} * {v}" for c, v in parts.items()]
        tech = f"(({' + '.join(terms)}) / {p(float(sum(tw.values())))})"
        land_crit = [c for c in parts if c not in TECH_BUILDING]
        if len(land_crit) < len(parts):
            land_terms = [f"{p(tw[c])} * {parts[c]}" for c in land_crit]
            land_w = float(sum(tw[c] for c in land_crit))
            land = f"(({' + '.join(land_terms)}) / {p(land_w)})" if land_crit else "0.0"
            tech = f"(CASE WHEN s.kind = {LAND} THEN {land} ELSE {tech} END)"
        comp["technical"] = tech
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
    near_rows: list[tuple[int, float]] = []
    if "location" in weights:
        pref = (
            f"(CASE WHEN p.district IN ({strs(req.preferred_districts)}) THEN 1.0 ELSE 0.0 END)"
            if req.preferred_districts
            else "0.0"
        )
        named = [
            parks.ids[r]
            for r in (parks.row_of_name(x) for x in req.preferred_parks)
            if r is not None
        ]
        named += [parks.ids[r] for r in (parks.row_of_name(x) for x in req.near) if r is not None]
        dist = park_distances(parks, req)
        if dist is not None:
            near_rows = [
                (pid, float(d)) for pid, d in zip(parks.ids, dist, strict=True) if not math.isnan(d)
            ]
            full, zero = cfg.near_full_km, cfg.near_zero_km
            near = f"COALESCE({least}(1.0, {greatest}(0.0, ({p(zero)} - n.km) / {p(zero - full)})), 0.0)"
            loc = f"{greatest}({pref}, {near})"
        else:
            loc = pref
        if named:
            loc = f"(CASE WHEN p.id IN ({','.join(map(str, named))}) THEN 1.0 ELSE {loc} END)"
        park_cols.append(f"{loc} AS loc")
        comp["location"] = "pk.loc"
    if "kind" in weights:
        codes = ",".join(str(KIND_CODE[k]) for k in req.preferred_kinds)
        comp["kind"] = f"(CASE WHEN s.kind IN ({codes}) THEN 1.0 ELSE 0.0 END)"
    day = move_in_day(req)
    if day is not None:
        comp["move_in"] = (
            f"(CASE WHEN s.avail IS NULL OR s.avail - {p(day)} <= 0.0 THEN 1.0 "
            f"ELSE {greatest}(0.0, 1.0 - (s.avail - {p(day)}) / {p(cfg.move_in_falloff_days)}) END)"
        )
    if "cheaper" in weights:
        rr, sr = cfg.cheaper_rent_ref, cfg.cheaper_sale_ref
        comp["cheaper"] = (
            f"(CASE WHEN s.price IS NULL THEN {p(cfg.unknown_credit)} "
            f"WHEN s.deal = 0 THEN {p(rr)} / ({p(rr)} + s.price) "
            f"ELSE {p(sr)} / ({p(sr)} + s.price) END)"
        )
    if weights:
        terms_sql = " + ".join(f"{p(w)} * {comp[name]}" for name, w in weights.items())
        s_all, s_land = scale_factors(req, cfg)
        scale = (
            p(s_all)
            if s_land == s_all
            else (f"(CASE WHEN s.kind = {LAND} THEN {p(s_land)} ELSE {p(s_all)} END)")
        )
        score = f"(({terms_sql}) * {scale})"
    else:
        score = "100.0"
    near_join = " LEFT JOIN near n ON n.park_id = p.id" if near_rows else ""
    sql = (
        f"WITH pk AS MATERIALIZED (SELECT {', '.join(park_cols)} FROM park p{near_join}) "
        # SQLite: CROSS JOIN keeps the spaces as the outer loop (its planner otherwise loops
        # over the parks and re-reads the kind's rows through the index once per park)
        f"SELECT s.id, {score} AS score FROM space s "
        f"{'CROSS JOIN' if dialect == 'sqlite' else 'JOIN'} pk ON pk.id = s.park_id "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, s.id ASC LIMIT {int(top)}"
    )
    return sql, params, near_rows


def run_sql(con, sql: str, params: dict[str, float], near: list[tuple[int, float]], dialect: str):  # type: ignore[no-untyped-def]
    if near:
        con.execute("DROP TABLE IF EXISTS near")
        con.execute("CREATE TEMP TABLE near (park_id INTEGER, km DOUBLE)")
        con.executemany("INSERT INTO near VALUES (?, ?)", near)
    return con.execute(sql, params).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spaces", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sql-repeat", type=int, default=0, help="default: repeat (≤3 above 200k)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-duckdb", action="store_true")
    args = ap.parse_args()
    cfg = DEFAULT_CONFIG
    parks, cols = generate(args.spaces, args.seed)
    t0 = time.perf_counter()
    index = SpaceIndex.from_arrays(parks, [f"SP{i:08d}" for i in cols["id"]], **cols)
    build_s = time.perf_counter() - t0
    reqs = [parse_text(s, today=TODAY) for s in SENTENCES]
    tmp = tempfile.mkdtemp(prefix="parklink-bench-")
    db = os.path.join(tmp, "match.sqlite3")
    engines: dict[str, object] = {}
    try:
        write_sqlite(db, parks, cols)
        engines["sqlite"] = sqlite3.connect(db)
        if not args.no_duckdb:
            engines["duckdb"] = load_duckdb(parks, cols)
        np_ms, cpu_ms, per = [], [], []
        ref_ms: dict[str, list[float]] = {k: [] for k in engines}
        identical = dict.fromkeys(engines, True)
        sql_repeat = args.sql_repeat or (args.repeat if args.spaces <= 200000 else 3)
        for text, req in zip(SENTENCES, reqs, strict=True):
            rank(index, req, config=cfg, top=10)  # warm
            cpu_req = []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                found = rank(index, req, config=cfg, top=10)
                np_ms.append((time.perf_counter() - t) * 1000)
                cpu_req.append((time.process_time() - c) * 1000)
            cpu_ms.extend(cpu_req)
            ours = [m.space_id for m in found]
            row = {"need": text[:28], "cpu_ms": round(statistics.median(cpu_req), 2)}
            for name, con in engines.items():
                sql, named, near = sql_for(req, cfg, 10, parks, dialect=name)
                rows = run_sql(con, sql, named, near, name)  # warm
                times = []
                for _ in range(sql_repeat):
                    t = time.perf_counter()
                    rows = run_sql(con, sql, named, near, name)
                    times.append((time.perf_counter() - t) * 1000)
                ref_ms[name].extend(times)
                theirs = [r[0] for r in rows]
                identical[name] &= ours == theirs
                row[f"{name}_ms"] = round(statistics.median(times), 1)
                row[f"{name}_same"] = ours == theirs
            per.append(row)
        for con in engines.values():
            con.close()  # type: ignore[attr-defined]
    finally:
        for name in os.listdir(tmp):
            os.unlink(os.path.join(tmp, name))
        os.rmdir(tmp)

    def pct(values: list[float], q: float) -> float:
        return float(np.percentile(values, q))

    p95 = pct(np_ms, 95)
    out: dict[str, object] = {
        "spaces": args.spaces,
        "requirements": len(reqs),
        "p50_ms": round(statistics.median(np_ms), 2),
        "p95_ms": round(p95, 2),
        "cpu_p95_ms": round(pct(cpu_ms, 95), 2),
        "cpu_worst_ms": max(r["cpu_ms"] for r in per),  # type: ignore[type-var]
    }
    for name, times in ref_ms.items():
        out[f"{name}_p50_ms"] = round(statistics.median(times), 1)
        out[f"{name}_p95_ms"] = round(pct(times, 95), 1)
        out[f"ratio_{name}_p95"] = round(pct(times, 95) / p95, 1)
        out[f"top10_identical_{name}"] = identical[name]
    out.update(build_s=round(build_s, 2), index_mb=round(index.nbytes() / 2**20, 1))
    out["per_requirement"] = per
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
