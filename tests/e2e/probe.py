"""A browser probe of the whole product, as a visitor, an agent and a manager would meet it.

It crawls every page reachable by links from a start page (the portal's home, the office's
dashboard), one page per URL *shape* (``/parks/12/`` and ``/parks/31/`` are one shape: the
same template), and checks each page at the given viewports and languages:

- the page itself does not scroll sideways (inner scrollers such as tables and the board may);
- a public page offers a lead form or a ``tel:`` link (leads are never lost);
- no internal key, dict or path is shown (``total_building_area``, ``{'from': …}``, ``None``,
  ``corpora/``);
- in English, no run of Chinese text outside names the product shows on purpose (``lang``
  attributes, user content such as article bodies and company names are skipped);
- no broken image, no console error, no link to a page that answers 404 or 500.

Used by tests/e2e/test_probe.py (bounded: distinct shapes only) and runnable by hand against a
server::

    .venv/bin/python -m tests.e2e.probe http://127.0.0.1:8123 [--office USER PASSWORD]
"""

from __future__ import annotations

import re
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "390": {"width": 390, "height": 844},
    "360": {"width": 360, "height": 740},
}
LANGS = {"zh": "zh-CN", "en": "en-US"}

# Paths the crawl never follows: other interfaces, downloads, feeds and one-click actions.
SKIP = re.compile(
    r"^/(admin|api|static|media|healthz)/|/feed/|\.(xlsx|csv|json|pdf|xml|png|jpe?g|svg)(\?|$)|"
    r"/(logout|reveal|claim|release|erase|delete|revoke|terminate|export|reports)/"
    r"|[?&](format|download)="
)

# What a reader must never see: snake_case keys, Python reprs, internal paths and notes.
RAW = re.compile(
    r"\b[a-z]+(?:_[a-z0-9]+)+\b(?!\.[a-z]{2,4}\b)"  # total_building_area, area_m2 (not a file)
    r"|\{'|'\}|': "  # a dict repr
    r"|[:=] ?(?:None|True|False)\b"  # Python values
    r"|corpora/|\bseed page\b|\b[a-z_]+=\S"  # internal paths, key=value dumps
)

LONE = re.compile(r"^(?:None|True|False|null|undefined|NaN)$")

# Text runs of Chinese in the English UI: the probe reports them with the element they are in.
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
# In the office, records' own words (companies, parks without an English name, notes) fill the
# cells; the probe holds the interface to English: headings, labels, buttons, menus.
UI_TAGS = {"th", "label", "button", "h1", "h2", "h3", "legend", "summary", "caption", "nav"}
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")

# Collected in the page: the visible text without user content, images that failed, the width.
PAGE_STATE_JS = r"""
() => {
  const skip = (el) => el.closest('[lang^="zh"], .user-content, .article-body, [data-user], '
      + 'script, style, noscript, textarea, select, input, code, .masked, [data-probe-skip]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || skip(el)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const t = node.textContent.trim();
    if (t) texts.push([t, el.tagName.toLowerCase() + (el.className ? '.' +
        String(el.className).split(' ')[0] : '')]);
  }
  const broken = [...document.images]
      .filter((img) => img.complete && img.naturalWidth === 0 && img.getAttribute('src'))
      .map((img) => img.getAttribute('src').slice(0, 80));
  const se = document.scrollingElement || document.documentElement;
  const wide = [];
  if (se.scrollWidth > window.innerWidth + 1) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && r.width > 0) {
        let p = el.parentElement, clipped = false;
        while (p && p !== document.body) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
          p = p.parentElement;
        }
        if (!clipped) wide.push(el.tagName.toLowerCase() + '.' + String(el.className)
            .split(' ')[0] + ' ' + Math.round(r.right));
        if (wide.length > 4) break;
      }
    }
  }
  return {
    scrollWidth: se.scrollWidth, innerWidth: window.innerWidth, wide,
    texts, broken,
    leadForm: !!document.querySelector('form[action*="/inquiry/"], #lead-capture-form'),
    tel: [...document.querySelectorAll('a[href^="tel:"]')].some(
        (a) => a.getBoundingClientRect().width > 0),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  };
}
"""


# Public pages no link leads to, probed too: the thanks page, searches, an unknown URL.
PUBLIC_EXTRA = (
    "/inquiry/thanks/",
    "/search/?q=生命科学园",
    "/search/?q=zqxjkv火星",
    "/no/such/page/",
)


@dataclass
class Defect:
    url: str
    where: str  # viewport-lang
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.url} ({self.where}): {self.detail}"


@dataclass
class Probe:
    base: str
    public: bool  # portal pages must offer a lead form or a tel: link
    max_pages: int = 60
    shapes: OrderedDict = field(default_factory=OrderedDict)  # shape → first URL path
    defects: list[Defect] = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    expected_errors: set = field(default_factory=set)

    def shape(self, path: str) -> str:
        split = urlsplit(path)
        shape = re.sub(r"/\d+(?=/|$)", "/{id}", split.path)
        shape = re.sub(r"/[A-Z][A-Z0-9-]{3,}(?=/|$)", "/{ref}", shape)
        # A query makes a different page only for the few parameters that change the template.
        keys = sorted({kv.split("=")[0] for kv in split.query.split("&") if kv})
        significant = [k for k in keys if k in {"q", "tab", "view", "status"}]
        return shape + ("?" + "&".join(significant) if significant else "")

    def in_scope(self, path: str) -> bool:
        if not path.startswith("/") or path.startswith("//") or SKIP.search(path):
            return False
        return path.startswith("/office/") != self.public

    def crawl(self, page, start: str, extra: tuple[str, ...] = ()) -> list[str]:
        """Every URL shape reachable from `start` (and the `extra` pages no link leads to: an
        error page, an empty search), breadth first, one URL per shape."""
        queue = [start, *extra]
        self.expected_errors = {p for p in extra if p.startswith("/no/such")}
        while queue and len(self.shapes) < self.max_pages:
            path = queue.pop(0)
            shape = path if path in extra else self.shape(path)
            if shape in self.shapes:
                continue
            try:
                response = page.goto(self.base + path)
            except Exception as exc:  # a download or a crash: a defect, not the end of the crawl
                self.defects.append(Defect(path, "crawl", "http", str(exc).splitlines()[0]))
                self.shapes[shape] = None
                continue
            status = response.status if response else 0
            self.statuses[path] = status
            if status >= 400 and path not in self.expected_errors:
                self.defects.append(Defect(path, "crawl", "http", f"status {status}"))
            self.shapes[shape] = path
            for href in page.evaluate(
                "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
            ):
                split = urlsplit(href)
                if split.netloc and split.netloc != urlsplit(self.base).netloc:
                    continue
                nxt = split.path + (f"?{split.query}" if split.query else "")
                if self.in_scope(nxt) and self.shape(nxt) not in self.shapes:
                    queue.append(nxt)
        return [p for p in self.shapes.values() if p]

    def check(self, page, path: str, where: str, lang: str) -> None:
        errors: list[str] = []
        handler = lambda msg: errors.append(msg.text) if msg.type == "error" else None  # noqa: E731
        page.on("console", handler)
        try:
            response = page.goto(self.base + path)
            page.wait_for_load_state("load")
            state = page.evaluate(PAGE_STATE_JS)
        finally:
            page.remove_listener("console", handler)
        add = lambda kind, detail: self.defects.append(Defect(path, where, kind, detail))  # noqa: E731
        if response is not None and response.status >= 500 and path not in self.expected_errors:
            add("http", f"status {response.status}")
        if state["scrollWidth"] > state["innerWidth"] + 1:
            add("sideways", f"{state['scrollWidth']}px > {state['innerWidth']}px {state['wide']}")
        if self.public and not (state["leadForm"] or state["tel"]):
            add("no-lead", "neither a lead form nor a tel: link")
        for text, el in state["texts"]:
            # A lone None is a Python value in Chinese; in English it may be the word.
            hit = RAW.search(text) or (lang == "zh" and LONE.match(text))
            if hit:
                add("raw", f"{hit.group(0)!r} in <{el}>: {text[:80]!r}")
            if lang == "en" and (self.public or el.split(".")[0] in UI_TAGS):
                han = HAN.search(text)
                # A Chinese name inside an English sentence is a name; Chinese *text* is not.
                if han and len(HAN_CHAR.findall(text)) >= len(LATIN.findall(text)):
                    add("untranslated", f"{han.group(0)!r} in <{el}>: {text[:60]!r}")
        for src in state["broken"]:
            add("image", f"broken image {src}")
        for msg in errors:
            if path in self.expected_errors and "status of 404" in msg:
                continue  # the unknown URL itself answers 404, as it should
            add("console", msg[:160])


def dedupe(defects: list[Defect]) -> list[str]:
    """One line per defect and page (the same text at five viewports is one defect, with the
    viewports where it was seen)."""
    seen: OrderedDict[tuple, list[str]] = OrderedDict()
    for d in defects:
        seen.setdefault((d.kind, d.url, d.detail), []).append(d.where)
    return [f"[{k}] {url} ({', '.join(w)}): {detail}" for (k, url, detail), w in seen.items()]


def run(
    base: str,
    *,
    browser,
    start: str,
    public: bool,
    storage_state=None,
    max_pages=60,
    viewports=("desktop", "390", "360"),
    langs=("zh", "en"),
    checks=None,
    extra: tuple[str, ...] = (),
) -> Probe:
    """Crawl from `start` in Chinese, then check every page shape found at each (viewport,
    language) of `checks` (default: every viewport in every language)."""
    probe = Probe(base=base, public=public, max_pages=max_pages)
    checks = checks or [(vp, lang) for lang in langs for vp in viewports]
    ctx = browser.new_context(
        storage_state=storage_state, locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"}
    )
    page = ctx.new_page()
    page.set_default_timeout(20000)
    paths = probe.crawl(page, start, extra)
    ctx.close()
    for vp, lang in checks:
        ctx = browser.new_context(
            storage_state=storage_state,
            locale=LANGS[lang],
            viewport=VIEWPORTS[vp],
            extra_http_headers={"Accept-Language": LANGS[lang]},
            is_mobile=vp != "desktop",
            has_touch=vp != "desktop",
        )
        page = ctx.new_page()
        page.set_default_timeout(20000)
        for path in paths:
            probe.check(page, path, f"{vp}-{lang}", lang)
        ctx.close()
    return probe


def _login_state(browser, base: str, user: str, password: str) -> dict:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base + "/office/login/")
    page.fill("[name=username]", user)
    page.fill("[name=password]", password)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("load")
    state = ctx.storage_state()
    ctx.close()
    return state


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    base = argv[0].rstrip("/")
    office = (
        argv[argv.index("--office") + 1 : argv.index("--office") + 3]
        if "--office" in argv
        else None
    )
    opts = {}
    for name in ("langs", "viewports"):
        if f"--{name}" in argv:
            opts[name] = tuple(argv[argv.index(f"--{name}") + 1].split(","))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        if office:
            state = _login_state(browser, base, *office)
            probe = run(
                base, browser=browser, start="/office/", public=False, storage_state=state, **opts
            )
        else:
            probe = run(base, browser=browser, start="/", public=True, extra=PUBLIC_EXTRA, **opts)
        browser.close()
    print(f"{len(probe.shapes)} page shapes")
    for shape, path in probe.shapes.items():
        print(f"  {shape} -> {path} [{probe.statuses.get(path)}]")
    lines = dedupe(probe.defects)
    for line in lines:
        print(line)
    print(f"{len(lines)} defects")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
