"""The policy text reader: a policy document (text or HTML) → proposed fields, each with the
sentence it came from. Proposals go to the review queue (``PolicyProposal``) before they count.

Pure Python (no Django). ``read_policy(text, *, is_html=False, today=None) -> ReadPolicy``.

What it reads, sentence by sentence (a sentence ends at 。;;!? or a line break):

- **title**: the HTML title, else the first short line naming a 办法/措施/政策/细则/通知…;
- **region**: a Beijing district named in the title or by the issuer (…区人民政府), else 北京市;
- **validity**: "自2025年1月1日起施行" (or 自印发/发布之日起 + the document's date),
  "有效期3年" / "有效期至2027年12月31日" / "2025年1月1日至2027年12月31日";
- **conditions**: thresholds on tax, investment, output (万元/亿元 → 万元), staff, land (亩) and
  founding year, with 以上/不低于/达到/不少于 → ``>=``, 超过/高于 → ``>``, 不超过/以下 → ``<=``,
  低于/不足 → ``<``; 高新技术企业 / 专精特新 required; registration in the district;
- **industries**: named in the title or in a sentence of scope (支持/面向/重点/领域…);
- **amount_wan_max**: the largest award named with 最高/不超过/给予 … 奖励/补贴/补助/资助.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

from parklink.policies.eligibility import Condition
from parklink.policies.industries import Taxonomy, default_taxonomy
from parklink.zh.dates import add_months, find_dates
from parklink.zh.normalise import clean_whitespace, fold_width
from parklink.zh.places import BEIJING_DISTRICTS
from parklink.zh.quantities import Quantity, find_quantities, parse_number

_SENTENCE = re.compile(r"[^。;；!！?？\n]+[。;；!！?？]?")
_CLAUSE_BREAK = re.compile(r"[,，、:：]")
_TITLE_WORDS = re.compile(r"办法|措施|政策|细则|通知|规定|意见|方案|条例|指引|若干|实施|办法")
_BENEFIT = re.compile(r"奖励|补贴|补助|资助|奖补|扶持资金|支持资金|扶持|一次性|给予|支持")
_CAP = re.compile(r"最高|不超过|上限|最多|封顶|至多")
_TAX = re.compile(r"纳税|税收|缴税|税额|实缴税")
_INVEST = re.compile(r"固定资产投资|投资总额|总投资|实际投资|投资额|投资规模|投资")
_OUTPUT = re.compile(r"产值")
_SKIP_MONEY = re.compile(
    r"注册资本|注册资金|营业收入|营收|销售收入|收入|融资|研发投入|研发费用|租金"
)
_INTENSITY = re.compile(r"亩均|每亩|地均|强度|单位面积")
_GE = re.compile(r"以上|不低于|不少于|不小于|达到|达|至少|及以上|起")
# Comparison words before a number, each with its operator; the one nearest the number wins.
_OP_BEFORE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"不超过|不高于|不大于|不多于|最多|至多|控制在"), "<="),
    (re.compile(r"不低于|不少于|不小于|至少|达到|达"), ">="),
    (re.compile(r"(?<!不)(?:超过|高于|大于|多于)"), ">"),
    (re.compile(r"(?<!不)(?:低于|少于|小于)|不足|不到|未满|未达到"), "<"),
)
_OP_AFTER: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(?:及以上|以上|起)"), ">="),
    (re.compile(r"^\s*(?:以下|以内|之内|内)"), "<="),
)
# A sentence that says whom the policy is for (产业 alone is not: "产业引导基金").
_SCOPE = re.compile(
    r"支持|鼓励|面向|重点|聚焦|领域|行业|方向|从事|适用|属于|培育|引进|吸引|推动|促进|加快|扶持"
)
_HIGH_TECH = re.compile(
    r"(?:为|是|属于|获得|取得|认定为?|被认定为|经认定的|新认定的|首次认定的|有效期内的|国家级?)"
    r"[^,,;;。]{0,4}高新技术企业|高新技术企业(?:资格|资质|认定)"
)
_NOT_HIGH_TECH = re.compile(r"(?:非|不是|未被?认定)[^,,。]{0,4}高新技术企业")
_SPECIALIZED_REQUIRED = re.compile(r"(?:认定|获评|获得|为|是|属于|入选)[^,,。]{0,6}专精特新")
_EITHER = re.compile(r"或|或者|之一|任一")
_REGISTER = re.compile(
    r"(?:注册地|注册在|注册于|工商注册|税务登记|落户|迁入|入驻)[^,,;;。]{0,8}?"
    r"(?P<d>本区|" + "|".join(BEIJING_DISTRICTS) + r")"
    r"|(?P<d2>本区|" + "|".join(BEIJING_DISTRICTS) + r")(?:内)?(?:注册|落户|纳税)"
)
_STAFF = re.compile(
    r"(?:员工|职工|从业人员|用工|员工总数|从业人数|参保人数|参保人员)[^,,;;。\d]{0,8}?"
    r"(?P<n>\d+|[一二两三四五六七八九十百千]+)\s*(?:人|名)"
)
_FOUNDED = re.compile(
    r"成立(?:时间)?(?P<lt>不超过|不满|未满|不足|少于|在)?\s*(?P<n>\d+|[一二两三四五六七八九十]+)\s*年"
    r"(?P<tail>以内|以下|之内|内|以上|及以上)?"
)
_START_PHRASE = re.compile(
    r"(?:自|从)?\s*(?P<rel>印发|发布|公布|颁布)之日起(?:施行|实施|执行|生效)"
)
_STARTS_AFTER = re.compile(r"\s*(?:起)?\s*(?:施行|实施|执行|生效|开始)")
_STARTS_BEFORE = re.compile(r"(?:自|从)\s*$")
_DURATION = re.compile(
    r"(?:有效期|试行期|执行期|实施期)(?:限)?(?:为|暂定)?\s*"
    r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*(?P<unit>年|个月)"
)
_UNTIL = re.compile(r"(?:有效期|执行|实施|截止)?(?:至|到|截至|截止到?)\s*$")
_BEIJING = timezone(timedelta(hours=8))
_DISTRICT_IN = re.compile("|".join(BEIJING_DISTRICTS))


@dataclass(frozen=True)
class Proposal:
    """One proposed field and the sentence it came from."""

    what: str  # "title", "region", "valid_from", "valid_to", "industry", "condition", "amount"
    value: Any
    sentence: str


@dataclass(frozen=True)
class Measure:
    """One measure (条款) of a document: its award and the conditions that decide it, each
    with its sentence. A document with several measures (落户奖励 最高500万元 … 租金补贴
    最高100万元) yields one per award; the document-wide conditions (适用范围, 注册在本区)
    apply to each."""

    title: str
    found: tuple[tuple[Condition, str], ...]
    amount_wan_max: float | None
    sentences: tuple[str, ...]

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(c for c, _s in self.found)

    @property
    def sentence(self) -> str:
        return self.sentences[0] if self.sentences else ""

    @property
    def evidence(self) -> list[str]:
        return list(dict.fromkeys([*(s for _c, s in self.found), *self.sentences]))

    def capped(self, amount: float, sentence: str) -> Measure:
        top = amount if self.amount_wan_max is None else max(self.amount_wan_max, amount)
        return replace(self, amount_wan_max=top, sentences=(*self.sentences, sentence))

    def with_global(self, found: list[tuple[Condition, str]]) -> Measure:
        return replace(self, found=tuple(_merged(found, list(self.found))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "conditions": [c.to_dict() for c in self.conditions],
            "amount_wan_max": self.amount_wan_max,
            "sentence": self.sentence,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Block:
    """A numbered part of a document (一、 (二) 3. 第四条 …) and its short heading, if any."""

    title: str
    text: str


_ENUM = re.compile(
    r"^\s*(?:[((]\s*[一二三四五六七八九十\d]+\s*[))]|[一二三四五六七八九十]+\s*[、.．]|"
    r"\d{1,2}\s*[、.．](?!\d)|第[一二三四五六七八九十百零\d]+[条章节])\s*"
)
_HEADING = re.compile(r"^([^,,。;;::\d]{2,14})[。::]")
_NEW_SUBJECT = re.compile(r"^\s*(?:对于?|凡|经认定|新引进|新落户|新认定)")
_RATE = re.compile(r"每(?:平方米|平米|㎡|天|日|月|人|亩)(?:每(?:天|日|月))?\s*$")


def _blocks(text: str) -> list[Block]:
    """The document cut at its numbered parts (the text before the first is one block)."""
    blocks: list[Block] = []
    current: list[str] = []
    title = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _ENUM.match(line)
        if m:
            if current:
                blocks.append(Block(title, "\n".join(current)))
            head = _HEADING.match(line[m.end() :])
            title = head.group(1).strip() if head else ""
            current = [line]
        else:
            current.append(line)
    if current:
        blocks.append(Block(title, "\n".join(current)))
    return blocks


@dataclass(frozen=True)
class ReadPolicy:
    title: str = ""
    region: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    industries: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    amount_wan_max: float | None = None
    benefit: str = ""
    issuer: str = ""
    proposals: tuple[Proposal, ...] = field(default_factory=tuple)
    measures: tuple[Measure, ...] = field(default_factory=tuple)

    @property
    def evidence(self) -> list[str]:
        """The sentences the proposals came from, in order, each once."""
        return list(dict.fromkeys(p.sentence for p in self.proposals if p.sentence))

    def to_dict(self) -> dict[str, Any]:
        """Exactly the shape of ``parklink policy parse --json``."""
        return {
            "title": self.title,
            "region": self.region,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "industries": list(self.industries),
            "conditions": [c.to_dict() for c in self.conditions],
            "amount_wan_max": self.amount_wan_max,
            "evidence": self.evidence,
            "measures": [m.to_dict() for m in self.measures],
        }


_NOISE = re.compile(
    r"(^|[\s_-])(nav|menu|footer|header|sidebar|breadcrumb|crumb|share|comment|related|"
    r"recommend|login|toolbar|search|links?)([\s_-]|$)",
    re.IGNORECASE,
)
_BLOCKS = "//p|//div|//li|//h1|//h2|//h3|//h4|//h5|//tr|//td|//section|//article|//center"


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of a policy page. Every paragraph counts in a policy (its issuer and date
    lines too), so the article extractor's boilerplate filter is not used: scripts, styles
    and navigation/header/footer blocks go, the rest is kept line by line."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return "", ""
    title = " ".join((root.findtext(".//title") or "").split())
    heading = root.xpath("string(//h1)").strip()
    for bad in root.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//title"):
        bad.drop_tree()
    for el in root.xpath("//*[@class or @id]"):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if _NOISE.search(marker) and el.getparent() is not None:
            el.drop_tree()
    for br in root.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.xpath(_BLOCKS):
        block.tail = "\n" + (block.tail or "")
        block.text = "\n" + (block.text or "")
    body = root.text_content()
    if not heading and title:
        heading = re.split(r"\s*[_|｜]\s*|\s+-\s+", title)[0]
    return heading, body


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _clause(sentence: str, start: int) -> str:
    """The words of `sentence` before position `start`, back to the last comma."""
    head = sentence[:start]
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(head)]
    return head[cuts[-1] :] if cuts else head


def _after(sentence: str, end: int) -> str:
    tail = sentence[end:]
    m = re.search(r"[,，;;。]", tail)
    return tail[: m.start()] if m else tail


def _wan(q: Quantity) -> float:
    value = q.value / 1e4
    return int(value) if float(value).is_integer() else round(value, 4)


def _op(before: str, after: str, qualifier: str | None) -> str | None:
    """The comparison a threshold states: a word right after the number (以上, 以下) first,
    else the comparison word nearest before it, else the scanner's qualifier."""
    for pattern, op in _OP_AFTER:
        if pattern.search(after):
            return op
    window = before[-10:]
    best: tuple[int, str] | None = None
    for pattern, op in _OP_BEFORE:
        for m in pattern.finditer(window):
            if best is None or m.end() > best[0]:
                best = (m.end(), op)
    if best is not None:
        inclusive = re.match(r"\s*[((]\s*含(?:本数)?\s*[))]", after)  # 超过1000万元(含)
        return {">": ">=", "<": "<="}.get(best[1], best[1]) if inclusive else best[1]
    if qualifier == "min":
        return ">="
    if qualifier == "max":
        return "<="
    return None


def _title(lines: list[str]) -> str:
    for line in lines[:8]:
        text = line.strip().strip("《》")
        if 4 <= len(text) <= 80 and _TITLE_WORDS.search(text) and not text.endswith("。"):
            return text
    for line in lines:
        if line.strip():
            return line.strip()[:120]
    return ""


def _region(title: str, lines: list[str]) -> tuple[str, str]:
    """(region, the line it came from)."""
    m = _DISTRICT_IN.search(title)
    if m:
        return m.group(), title
    for line in [*lines[:6], *lines[-6:]]:
        issuer = re.search(
            r"("
            + "|".join(BEIJING_DISTRICTS)
            + r")(?:人民政府|[^\s,,。]{0,12}(?:局|委员会|办公室))",
            line,
        )
        if issuer:
            return issuer.group(1), line
    if "北京" in title:
        return "北京市", title
    for line in [*lines[:6], *lines[-6:]]:
        if "北京市" in line:
            return "北京市", line
    return "", ""


def _document_date(text: str) -> date | None:
    """The date the document was issued: a date standing on one of its last lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in reversed(lines[-4:]):
        found = find_dates(line)
        if found and len(line) <= 20:
            return found[-1].value
    return None


def _validity(
    text: str, sentence_list: list[str]
) -> tuple[date | None, date | None, list[Proposal]]:
    start: date | None = None
    end: date | None = None
    proposals: list[Proposal] = []
    for s in sentence_list:
        dates = find_dates(s)
        # "2025年1月1日至2027年12月31日"
        for a, b in pairwise(dates):
            between = s[a.end : b.start]
            if re.fullmatch(r"\s*(?:起)?\s*(?:至|到|—|–|-|~)\s*", between):
                if start is None:
                    start = a.value
                    proposals.append(Proposal("valid_from", start, s))
                if end is None:
                    end = b.value
                    proposals.append(Proposal("valid_to", end, s))
        for d in dates:
            before, after = s[: d.start], s[d.end :]
            if start is None and (_STARTS_AFTER.match(after) or _STARTS_BEFORE.search(before)):
                start = d.value
                proposals.append(Proposal("valid_from", start, s))
                continue
            if end is None and _UNTIL.search(before) and d.value != start:
                end = d.value
                proposals.append(Proposal("valid_to", end, s))
        if start is None and _START_PHRASE.search(s):
            issued = _document_date(text)
            if issued is not None:
                start = issued
                proposals.append(Proposal("valid_from", start, s))
        m = _DURATION.search(s)
        if m and end is None and start is not None:
            n = parse_number(m.group("n"))
            if n:
                months = int(n) * (12 if m.group("unit") == "年" else 1)
                end = add_months(start, months) - timedelta(days=1)
                proposals.append(Proposal("valid_to", end, s))
    return start, end, proposals


def _industry_word(word: str, canonical: str) -> str:
    """The industry as the text writes it, trimmed to the canonical name it contains."""
    return canonical if canonical in word else word


def read_policy(
    text: str,
    *,
    is_html: bool = False,
    today: date | None = None,
    taxonomy: Taxonomy | None = None,
) -> ReadPolicy:
    """Read one policy document; every field is a proposal with its sentence."""
    tax = taxonomy or default_taxonomy()
    html_title = ""
    if is_html:
        html_title, text = html_to_text(text)
    text = fold_width(clean_whitespace(text or ""))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = html_title or _title(lines)
    proposals: list[Proposal] = []
    if title:
        proposals.append(Proposal("title", title, title))
    region, region_line = _region(title, lines)
    if region:
        proposals.append(Proposal("region", region, region_line))
    all_sentences = sentences(text)
    valid_from, valid_to, validity = _validity(text, all_sentences)
    proposals.extend(validity)
    today = today or datetime.now(tz=_BEIJING).date()
    ref_year = (valid_from or _document_date(text) or today).year

    industries: dict[str, str] = {}
    for s in [title, *all_sentences]:
        if s is not title and not _SCOPE.search(s):
            continue
        for hit in tax.find(s):
            if hit.negated or hit.industry in industries:
                continue
            industries[hit.industry] = _industry_word(hit.word, hit.industry)
            proposals.append(Proposal("industry", industries[hit.industry], s))

    conditions: list[Condition] = []
    amounts: list[float] = []
    benefit = ""
    seen: set[tuple[str, str]] = set()

    def add(condition: Condition, sentence: str) -> None:
        key = (condition.field, condition.op)
        if key in seen:
            return
        seen.add(key)
        conditions.append(condition)
        proposals.append(Proposal("condition", condition.to_dict(), sentence))

    measures: list[Measure] = []
    global_found: list[tuple[Condition, str]] = []
    for block in _blocks(text):
        last_field: str | None = None
        common: list[tuple[Condition, str]] = []  # the block's first measure's conditions
        pending: list[tuple[Condition, str]] = []
        block_measures: list[Measure] = []
        new_subject = False
        for s in sentences(block.text):
            if block_measures and _NEW_SUBJECT.match(s):
                new_subject = True  # "对…的企业": a new measure, not a tier of the last one
            found, awards, last_field = _read_sentence(
                s, region=region, ref_year=ref_year, last_field=last_field
            )
            for c in found:
                add(c, s)
            pending.extend((c, s) for c in found)
            for a in awards:
                amounts.append(a)
                benefit = benefit or s
                proposals.append(Proposal("amount", a, s))
            if not awards:
                continue
            if block_measures and not pending and not new_subject:
                # "累计最高300万元": the cap of the measure just read, not a new measure
                block_measures[-1] = block_measures[-1].capped(max(awards), s)
                continue
            if not block_measures or new_subject:
                items = _merged(pending)
                common = items
            else:
                items = _merged(common, pending)  # a tier: its own threshold over the first's
            block_measures.append(
                Measure(
                    title=block.title,
                    found=tuple(items),
                    amount_wan_max=max(awards),
                    sentences=(s,),
                )
            )
            pending, new_subject = [], False
        if block_measures:
            measures.extend(block_measures)
        else:
            global_found.extend(pending)
    amount = max(amounts) if amounts else None
    issuer = region_line if region_line and region_line != title else ""
    final = tuple(m.with_global(global_found) for m in measures)
    return ReadPolicy(
        title=title,
        region=region,
        valid_from=valid_from,
        valid_to=valid_to,
        industries=tuple(industries.values()),
        conditions=tuple(conditions),
        amount_wan_max=amount,
        benefit=benefit[:500],
        issuer=issuer[:100],
        proposals=tuple(proposals),
        measures=final,
    )


def _merged(*groups: list[tuple[Condition, str]]) -> list[tuple[Condition, str]]:
    """Conditions with their sentences, one per (field, op): a later one replaces an earlier
    (a tier's own threshold over the block's)."""
    out: dict[tuple[str, str], tuple[Condition, str]] = {}
    for group in groups:
        for c, s in group:
            out[(c.field, c.op)] = (c, s)
    return list(out.values())


def _read_sentence(
    s: str, *, region: str, ref_year: int, last_field: str | None
) -> tuple[list[Condition], list[float], str | None]:
    """The conditions and award amounts one sentence states, in order, and the threshold
    field last named (a tier "3000万元以上的" without a field word takes it)."""
    found: list[Condition] = []
    awards: list[float] = []
    for q in find_quantities(s):
        before = _clause(s, q.start)
        after = _after(s, q.end)
        if q.dimension == "money":
            if _SKIP_MONEY.search(before) or _INTENSITY.search(before[-8:]):
                continue
            if re.match(r"\s*(?:/|每)\s*(?:亩|平|㎡|人|天|日|月)", s[q.end :]) or _RATE.search(
                before[-8:]
            ):
                continue  # 300万元/亩, 每平方米每天3元: a rate, not a total
            threshold = _TAX.search(before) or _INVEST.search(before) or _OUTPUT.search(before)
            is_award = (
                _BENEFIT.search(before)
                or _CAP.search(before[-6:])
                or (_BENEFIT.search(after[:6]) is not None)
            )
            if threshold and not (_BENEFIT.search(before) and not _GE.search(after[:4])):
                op = _op(before, after, q.qualifier) or ">="
                name = (
                    "annual_tax_wan"
                    if _TAX.search(before)
                    else "annual_output_wan"
                    if _OUTPUT.search(before)
                    else "total_investment_wan"
                )
                found.append(Condition(name, op, _wan(q)))
                last_field = name
            elif is_award:
                awards.append(_wan(q))
            elif last_field is not None:
                op = _op(before, after, q.qualifier)
                if op is not None:
                    found.append(Condition(last_field, op, _wan(q)))
        elif q.dimension == "area" and "亩" in q.text:
            op = _op(before, after, q.qualifier)
            if op is not None:
                mu = round(q.value / 666.67, 2)
                found.append(Condition("land_mu", op, int(mu) if mu.is_integer() else mu))
    m = _STAFF.search(s)
    if m:
        n = parse_number(m.group("n"))
        op = _op(s[: m.start("n")], s[m.end() :], None)
        if n is not None and op is not None:
            found.append(Condition("staff", op, int(n)))
    m = _FOUNDED.search(s)
    if m:
        n = parse_number(m.group("n"))
        within = m.group("lt") in ("不超过", "不满", "未满", "不足", "少于") or (
            m.group("tail") in ("以内", "以下", "之内", "内")
        )
        beyond = m.group("tail") in ("以上", "及以上") or re.search(
            r"成立满\s*$", s[: m.start("n")]
        )
        if n is not None and within:
            found.append(Condition("founded_year", ">=", ref_year - int(n)))
        elif n is not None and beyond:
            found.append(Condition("founded_year", "<=", ref_year - int(n)))
    high_tech = bool(_HIGH_TECH.search(s)) and not _NOT_HIGH_TECH.search(s)
    specialized = bool(_SPECIALIZED_REQUIRED.search(s))
    if high_tech and specialized and _EITHER.search(s):
        pass  # "专精特新企业或高新技术企业": either will do, which conditions cannot say
    else:
        if high_tech:
            found.append(Condition("is_high_tech", "==", True))
        if specialized:
            found.append(Condition("is_specialized", "==", True))
    m = _REGISTER.search(s)
    if m:
        district = m.group("d") or m.group("d2")
        if district == "本区":
            district = region if region in BEIJING_DISTRICTS else ""
        if district:
            found.append(Condition("district", "==", district))
    return found, awards, last_field
