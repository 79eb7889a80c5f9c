"""Boilerplate removal for portal pages as plain text (dumps like the seed) and as the line
stream an HTML extractor produces.

A portal page around an article carries a breadcrumb (当前位置), a meta line (author, date,
category, views), sidebar headlines (often each twice), the agent's contact block, a
copyright notice, share links and a related-articles list. The functions here classify lines,
find the article's block and recover the meta fields; the related list is kept separately.

Pure: no Django import.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from parklink.zh.dates import find_dates
from parklink.zh.normalise import for_matching

# One line of boilerplate each (tech-notes: worth a line-level filter for portal boilerplate).
BOILERPLATE_LINE = re.compile(
    r"当前位置|您的位置|你的位置|所在位置|浏览次数|阅读次数|点击次数|点击数[:：]|阅读量|"
    r"联系电话|联系方式|联系人[:：]|咨询电话|服务热线|热线电话|客服电话|传真[:：]|邮编[:：]|"
    r"版权所有|版权声明|copyright|©|ICP备|ICP证|公网安备|京公网|"
    r"上一篇|下一篇|上一条|下一条|分享给朋友|分享到|分享至|扫一扫|长按|微信扫|关注我们|"
    r"责任编辑|编辑[:：]|责编|本文来源[:：]|来源[:：]\s*\S{0,20}$|"
    r"请说明您的需求|以便快速帮您|微信号|微信/手机|手机[:：]|QQ[:：]|在线咨询|免费咨询|"
    r"打印本页|关闭窗口|返回顶部|字号[:：]|【大 中 小】|【字体|加入收藏|设为首页|"
    r"举报|免责声明|未经授权|不得转载|如需转载|转载请注明|登录|注册|"
    r"^\s*(首页|网站首页)\s*[>›»]|(发布|发表|更新)(时间|日期)\s*[:：]|"
    # Reposts' frames and the original title line (（原标题：…）, 本文原标题, 原题为《…》).
    r"^[(（【\[]?\s*(本文)?原(标)?题(为|是)?\s*[:：《]|"
    # Calls to click, download, scan, follow, reply (portals and 公众号 footers).
    r"点击进入|点击查看|点击阅读|点击关注|点击下载|点击播放|点击上方|点击下方|阅读原文|"
    r"免费试玩|下载客户端|下载.{0,10}APP[)）]?$|客户端还能|更多原创资讯|"
    r"扫描下方二维码|扫描二维码关注|长按二维码|识别二维码|扫码关注|扫码下载|长按识别|"
    r"关注公众号|公众号[:：]|微信公众号|微信搜索|设为星标|置顶公众号|"
    r"回复【|点【在看】|点个在看|分享、点赞|"
    r"返回.{0,6}首页|查看更多|更多精彩|您的浏览器暂时无法播放|^\s*自动播放\s*$|"
    r"【纠错】|^\s*(编辑|校对|来源|作者|审核|责编|监制|出品|制作|策划)\s*[|｜丨]",
    re.IGNORECASE,
)
# Photo credits and captions: a short line ending in …摄 / 供图 / 资料图 / （视觉中国）, or
# starting 图为 / ▲ / 图片来源 (independent annotators treat them as page furniture).
PHOTO_CREDIT = re.compile(
    r"^\s*(图为|▲|△|图片来源|图片来自|图源|图片由|图\s*[|｜丨/:：]|来源[:：]?\s*视觉中国)|"
    r"(摄|供图|资料图|资料照片|资料|视频截图|截图|图片来源于网络|图源网络|视觉中国|IC\s*photo|"
    r"东方IC|新华社发|新华社记者\s*\S{2,4}\s*摄)(\s+\S{1,8})?\s*[)）]?\s*$",
    re.IGNORECASE,
)
# What a line says before its own content and after it that is a frame, not prose.
LEADING_FRAME = re.compile(r"^[(（]\s*(本文)?原(标)?题(为|是)?[:：《][^)）]{0,120}[)）]\s*")
TRAILING_FRAME = re.compile(
    r"\s*[(（]\s*(本文)?原(标)?题(为|是)?[:：]?\s*《[^》]{1,120}》\s*[)）]\s*$|"
    r"\s*[(（]\s*本文来自[^)）]{0,60}[)）]\s*$"
)
RELATED_MARKER = re.compile(
    r"^\s*(相关文章|相关阅读|相关新闻|相关推荐|延伸阅读|推荐阅读|猜你喜欢|热门推荐|相关资讯)\s*[:：]?\s*$"
)
BREADCRUMB = re.compile(r"(当前位置|您的位置|你的位置|所在位置)\s*[:：]?\s*(?P<trail>.*)")
PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|400[ -]?\d{3,4}[ -]?\d{3,4}|0\d{2,3}-\d{7,8})(?!\d)")
TERMINAL = "。！？!?；;…”」』)）.》"
VIEWS = re.compile(r"(?:浏览|阅读|点击|人气)(?:次数|量|数)?[:：]?\s*(\d+)")
AUTHOR = re.compile(r"(?:作者|记者|文|撰稿|发布人|发布者)\s*[:：/]\s*([^\s|｜/]{1,20})")
CATEGORY = re.compile(r"(?:栏目|分类|频道|所属栏目)\s*[:：]\s*([^\s|｜/]{1,20})")
SOURCE = re.compile(r"来源\s*[:：]\s*([^\s|｜/]{1,30})")


@dataclass(frozen=True)
class Related:
    title: str
    excerpt: str


@dataclass(frozen=True)
class Meta:
    author: str = ""
    category: str = ""
    views: int | None = None
    published: date | None = None
    published_text: str = ""
    source_name: str = ""


@dataclass(frozen=True)
class TextPage:
    """What the plain-text remover recovers from one page."""

    title: str
    body: str
    meta: Meta = field(default_factory=Meta)
    related: tuple[Related, ...] = ()
    copyright: str = ""
    breadcrumb: tuple[str, ...] = ()


def is_boilerplate(line: str) -> bool:
    """A line of page furniture (checked on the simplified form: Big5 pages say 版權所有)."""
    line = for_matching(line)
    return (
        bool(BOILERPLATE_LINE.search(line))
        or (bool(PHONE.search(line)) and len(line) < 120)
        or is_photo_credit(line)
    )


def is_photo_credit(line: str) -> bool:
    """A photo caption or credit line (…摄, 供图, 图为…, ▲…, （视觉中国）)."""
    return len(line) <= 90 and bool(PHOTO_CREDIT.search(line))


_SENTENCE_END = re.compile(r"[。！？!?…]+[”」』\"']?")


def keep_prose(line: str) -> str:
    """A line of furniture may be a paragraph of prose with furniture glued to its end
    ("…仍将持续。返回腾讯网首页>>", "…说。 小花母亲供图"): the prose before the last sentence
    end is kept when it is clean and the rest is furniture; otherwise "" (drop the line)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(line)]
    for cut in reversed(ends):
        head, tail = line[:cut].strip(), line[cut:].strip()
        if len(head) < 20 or not tail:
            continue
        if is_boilerplate(tail) and not is_boilerplate(head):
            return head
    return ""


def strip_frames(line: str) -> str:
    """A prose line without a repost's frame around it: a leading （原标题：…） and a trailing
    （原题为《…》） or （本文来自…） are cut off; the line itself stays."""
    if "题" in line or "本文来自" in line:
        line = TRAILING_FRAME.sub("", LEADING_FRAME.sub("", line))
    return line


def is_content(line: str) -> bool:
    """A line that reads as article prose: ends like a sentence, or is long."""
    s = line.strip()
    if len(s) < 8:
        return False
    if s[-1] in TERMINAL and not s.endswith("..."):
        return True
    return len(s) >= 80 and not s.endswith("...")


def parse_breadcrumb(line: str) -> tuple[str, ...]:
    m = BREADCRUMB.search(line)
    trail = m["trail"] if m else line
    parts = [p.strip() for p in re.split(r"\s*[>›»/＞]\s*|\s*-\s+", trail) if p.strip()]
    return tuple(p for p in parts if p not in ("首页", "网站首页", "正文", "正文内容", "详情"))


def parse_meta(line: str, *, fetched_at: date | None, category_hint: str = "") -> Meta:
    """Author, date, category and views from a meta line.

    Labelled lines ("作者:… 发布时间:… 浏览次数:46") and the unlabelled run-together form of
    the seed ("admin6个月前 (11-03)北京产业信息46": author, relative date, category, views).
    """
    dates = find_dates(line, fetched_at=fetched_at)
    published = dates[0].value if dates else None
    published_text = dates[0].text if dates else ""
    author = (AUTHOR.search(line) or [None, ""])[1]
    category = (CATEGORY.search(line) or [None, ""])[1]
    source_name = (SOURCE.search(line) or [None, ""])[1]
    views_m = VIEWS.search(line)
    views = int(views_m[1]) if views_m else None
    if dates and not author and not re.search(r"[:：]", line):
        # Unlabelled: whatever precedes the date is the author, what follows is the
        # category (the breadcrumb tells its name) and a trailing count is the views.
        head = line[: dates[0].start].strip()
        tail = line[dates[0].end :].strip()
        if 0 < len(head) <= 20:
            author = head
        if category_hint and category_hint in tail:
            category = category_hint
            tail = tail.replace(category_hint, " ", 1)
        trailing = re.search(r"(\d+)\s*$", tail)
        if trailing and views is None:
            views = int(trailing[1])
            tail = tail[: trailing.start()]
        if not category and tail.strip() and len(tail.strip()) <= 12:
            category = tail.strip()
    return Meta(
        author=author.strip(),
        category=category.strip(),
        views=views,
        published=published,
        published_text=published_text,
        source_name=source_name.strip(),
    )


def looks_like_meta(line: str, *, fetched_at: date | None) -> bool:
    if len(line) > 120:
        return False
    if VIEWS.search(line) or AUTHOR.search(line) or re.search(r"(发布|发表|更新)(时间|日期)", line):
        return True
    dates = find_dates(line, fetched_at=fetched_at)
    return bool(dates) and len(line) - len(dates[0].text) < 40 and not is_content(line)


def split_related(lines: list[str]) -> tuple[list[str], list[Related]]:
    """Cut the lines at a related-articles marker; parse what follows into title/excerpt."""
    for i, line in enumerate(lines):
        if RELATED_MARKER.match(line):
            return lines[:i], parse_related(lines[i + 1 :])
    return lines, []


def _clean_excerpt(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    # Reposts quote their own headline first ("…原标题:xxx 正文"): keep the prose.
    return re.sub(r"^.*?原标题[:：]\S+\s*", "", text)


def parse_related(lines: list[str]) -> list[Related]:
    """Related items: a title line (often repeated), optionally followed by an excerpt."""
    items: list[Related] = []
    title: str | None = None
    for line in lines:
        s = line.strip()
        if not s or (is_boilerplate(s) and len(s) < 40):
            continue
        if title is not None and s == title:
            continue
        looks_excerpt = len(s) > 60 or s.endswith(("...", "…"))
        if looks_excerpt and title is not None:
            items.append(Related(title=title, excerpt=_clean_excerpt(s)))
            title = None
        elif not looks_excerpt:
            if title is not None:
                items.append(Related(title=title, excerpt=""))
            title = s
    if title is not None:
        items.append(Related(title=title, excerpt=""))
    return items


def best_block(lines: list[str]) -> tuple[int, int]:
    """[start, end) of the run of content lines holding the most text.

    A short line inside the run (a sub-heading) is kept when content follows it; two
    non-content lines in a row end the run.
    """
    best = (0, 0)
    best_score = 0
    i = 0
    n = len(lines)
    while i < n:
        if not is_content(lines[i]):
            i += 1
            continue
        start = j = i
        score = 0
        last_content = i
        while j < n:
            if is_content(lines[j]):
                score += len(lines[j])
                last_content = j
                j += 1
            elif (
                j + 1 < n
                and is_content(lines[j + 1])
                and len(lines[j]) <= 40
                and not is_boilerplate(lines[j])
            ):
                j += 1
            else:
                break
        if score > best_score:
            best, best_score = (start, last_content + 1), score
        i = max(j, i + 1)
    return best


def find_copyright(lines: list[str]) -> str:
    for line in lines:
        if re.search(r"版权声明|版权所有|copyright|©", line, re.IGNORECASE):
            # The first sentence is the statement; phone numbers are dropped.
            first = re.split(r"[。.]", line.strip(), maxsplit=1)[0].strip()
            return PHONE.sub("", first).strip()[:300]
    return ""


_OUTLET = re.compile(
    r"(?:^|[\s(（【\[])(?:本文|文章|稿件|信息)?(?:来源|来自|转自|稿源|出处)\s*[:：|丨]\s*"
    r"(?P<name>[^\s|｜/，,。;；)）】\]]{2,24})"
)


def find_outlet(lines: list[str]) -> str:
    """The original outlet a page names ("来源：新华网", "本文来源：新京报"), or ""."""
    for line in lines:
        if len(line) > 120 or ("来" not in line and "源" not in line and "转自" not in line):
            continue
        m = _OUTLET.search(for_matching(line))
        if m:
            name = line[m.start("name") : m.end("name")]
            if not re.fullmatch(r"[\d\W_]+", name) and "网友" not in name:
                return name
    return ""


def _is_title(line: str) -> bool:
    s = line.strip()
    return 4 <= len(s) <= 100 and s[-1] not in "。；;，," and not is_boilerplate(s)


def strip_text_page(text: str, *, fetched_at: date | None = None) -> TextPage:
    """Split a plain-text page into title, meta, body and related articles."""
    raw_lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in raw_lines if ln]
    copyright_line = find_copyright(lines)
    lines, related = split_related(lines)

    breadcrumb: tuple[str, ...] = ()
    for line in lines[:5]:
        if BREADCRUMB.search(line):
            breadcrumb = parse_breadcrumb(line)
            break
    # Repeated lines are sidebar or navigation (the seed lists each headline twice); a
    # line of real prose repeated verbatim is rare enough to drop as well.
    counts = Counter(lines)
    # A paragraph with furniture glued to its end keeps its prose (keep_prose).
    candidates = [
        strip_frames(ln if not is_boilerplate(ln) else keep_prose(ln))
        for ln in lines
        if counts[ln] == 1 and not BREADCRUMB.search(ln)
    ]
    candidates = [ln for ln in candidates if ln]
    start, end = best_block(candidates)
    body_lines = candidates[start:end]
    body_first = body_lines[0] if body_lines else ""

    # Title and meta sit between the breadcrumb and the body's first line.
    head_end = lines.index(body_first) if body_first in lines else len(lines)
    head = [ln for ln in lines[:head_end] if not BREADCRUMB.search(ln)]
    category_hint = breadcrumb[-1] if breadcrumb else ""
    title = ""
    meta = Meta()
    # The title is the title-like line nearest the body (section labels come before it).
    for line in head:
        if looks_like_meta(line, fetched_at=fetched_at):
            meta = parse_meta(line, fetched_at=fetched_at, category_hint=category_hint)
        elif _is_title(line) and counts[line] <= 2 and line not in breadcrumb:
            title = line
    outlet = meta.source_name or find_outlet(head) or find_outlet(lines[head_end:][-12:])
    if (not meta.category and category_hint) or outlet != meta.source_name:
        meta = Meta(
            author=meta.author,
            category=meta.category or category_hint,
            views=meta.views,
            published=meta.published,
            published_text=meta.published_text,
            source_name=outlet,
        )
    body = "\n\n".join(body_lines)
    return TextPage(
        title=title,
        body=body,
        meta=meta,
        related=tuple(related),
        copyright=copyright_line,
        breadcrumb=breadcrumb,
    )
