"""Speed of the policies engines on generated data (no database: the engines are pure).

    .venv/bin/python bench/policies.py --policies 2000 --projects 500 --parks 30 --docs 200

- policy matching: one project against every policy (`eligibility.match_policies`);
- evaluation: one project against one park (`evaluation.evaluate`), and a lead's shortlist of 5;
- the policy text reader on generated policy documents (`reader.read_policy`).

Prints p50/p95 wall time per call (and the CPU time, the machine being shared).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from parklink.policies.eligibility import Condition, PolicyInfo, match_policies
from parklink.policies.evaluation import ParkRules, evaluate
from parklink.policies.facts import ProjectFacts
from parklink.policies.industries import default_taxonomy
from parklink.policies.reader import read_policy
from parklink.zh.places import BEIJING_DISTRICTS

TODAY = date(2026, 6, 1)


def _policy(rng: random.Random, n: int, industries: list[str]) -> PolicyInfo:
    conditions = []
    for field in rng.sample(
        ["annual_tax_wan", "total_investment_wan", "annual_output_wan", "staff", "land_mu"],
        rng.randint(0, 3),
    ):
        conditions.append(Condition(field, rng.choice([">=", ">", "<="]), rng.randint(10, 5000)))
    if rng.random() < 0.3:
        conditions.append(Condition("is_high_tech", "==", True))
    if rng.random() < 0.4:
        conditions.append(Condition("district", "in", tuple(rng.sample(BEIJING_DISTRICTS, 2))))
    start = TODAY - timedelta(days=rng.randint(-200, 900))
    return PolicyInfo(
        ref=f"B{n:05d}",
        title=f"政策{n}",
        valid_from=start,
        valid_to=start + timedelta(days=rng.randint(100, 1500)),
        industries=tuple(rng.sample(industries, rng.randint(0, 2))),
        conditions=tuple(conditions),
        amount_wan_max=rng.choice([None, 50, 100, 500, 2000]),
    )


def _project(rng: random.Random, industries: list[str]) -> ProjectFacts:
    def maybe(value):
        return value if rng.random() < 0.75 else None

    return ProjectFacts(
        industry=rng.choice(industries),
        description=rng.choice(["创新药研发与中试", "精密部件生产,含电镀工序", "软件研发", ""]),
        total_investment_wan=maybe(rng.randint(500, 50000)),
        land_mu=maybe(rng.randint(5, 200)),
        area_m2=maybe(rng.randint(500, 20000)),
        annual_tax_wan=maybe(rng.randint(10, 5000)),
        annual_output_wan=maybe(rng.randint(100, 100000)),
        is_high_tech=maybe(rng.random() < 0.5),
        staff=maybe(rng.randint(5, 2000)),
        districts=(rng.choice(BEIJING_DISTRICTS),),
    )


def _park(rng: random.Random, n: int, industries: list[str]) -> ParkRules:
    return ParkRules(
        park=f"园区{n}",
        industries=tuple(rng.sample(industries, 3)),
        banned_industries=("化工", "一般制造业"),
        min_investment_wan_per_mu=rng.choice([None, 300, 500, 800]),
        min_tax_wan_per_mu=rng.choice([None, 20, 50, 80]),
        min_output_wan_per_mu=rng.choice([None, 1000, 3000]),
        min_tax_yuan_per_m2=rng.choice([None, 500, 1500]),
        veto_keywords=("电镀", "危化品", "印染"),
    )


DOC = (
    "{district}关于支持{industry}产业高质量发展的若干措施\n"
    "第一条 为加快{industry}产业集聚发展,支持相关企业在本区落地,制定本措施。\n"
    "第二条 本措施适用于注册地在{district}、从事{industry}研发和生产的企业。\n"
    "第三条 对新落户且固定资产投资不低于{invest}亿元的项目,按投资额的10%给予补助,最高不超过{cap}万元。\n"
    "第四条 对年纳税额达到{tax}万元以上的企业,给予一次性落户奖励{award}万元。\n"
    "第五条 对员工人数不少于{staff}人的企业,给予人才公寓支持。\n"
    "第六条 对经认定的国家高新技术企业,优先给予租金补贴,补贴标准为每平方米每天1.5元。\n"
    "{filler}"
    "第九条 本措施自2025年{month}月1日起施行,有效期{years}年。\n\n{district}人民政府\n2024年12月20日\n"
)


def _doc(rng: random.Random, industries: list[str]) -> str:
    filler = "".join(
        f"第七条 其他事项按照有关规定执行,各部门应当加强协调配合,做好政策宣传和服务保障工作{i}。\n"
        for i in range(12)
    )
    return DOC.format(
        district=rng.choice(BEIJING_DISTRICTS),
        industry=rng.choice(industries),
        invest=rng.randint(1, 9),
        cap=rng.randint(100, 5000),
        tax=rng.randint(100, 2000),
        award=rng.randint(10, 500),
        staff=rng.randint(10, 300),
        month=rng.randint(1, 12),
        years=rng.randint(1, 5),
        filler=filler,
    )


def _timed(calls) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for call in calls:
        w0, c0 = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def _report(name: str, wall: list[float], cpu: list[float]) -> None:
    def q(values, p):
        return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]

    print(
        f"{name:<44} n={len(wall):>6}  p50 {q(wall, 50):8.3f} ms  p95 {q(wall, 95):8.3f} ms"
        f"  CPU p50 {q(cpu, 50):8.3f} ms  p95 {q(cpu, 95):8.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--parks", type=int, default=30)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tax = default_taxonomy()
    industries = [n for n in tax.names if n not in ("化工", "一般制造业")]
    policies = [_policy(rng, n, industries) for n in range(args.policies)]
    projects = [_project(rng, industries) for _ in range(args.projects)]
    parks = [_park(rng, n, industries) for n in range(args.parks)]
    docs = [_doc(rng, industries) for _ in range(args.docs)]
    match_policies(projects[0], policies[:10], on=TODAY)  # warm caches (taxonomy, regexes)

    wall, cpu = _timed(lambda p=p: match_policies(p, policies, on=TODAY) for p in projects)
    _report(f"policy match, 1 project × {len(policies)} policies", wall, cpu)
    pairs = [(p, k) for p in projects for k in rng.sample(parks, 3)]
    wall, cpu = _timed(lambda p=p, k=k: evaluate(p, k) for p, k in pairs)
    _report("evaluation, 1 project × 1 park", wall, cpu)
    wall, cpu = _timed(lambda p=p: [evaluate(p, k) for k in parks[:5]] for p in projects)
    _report("evaluation, 1 project × shortlist of 5", wall, cpu)
    wall, cpu = _timed(lambda d=d: read_policy(d, today=TODAY) for d in docs)
    _report(f"policy text reader, ~{sum(map(len, docs)) // len(docs)} chars", wall, cpu)


if __name__ == "__main__":
    main()
