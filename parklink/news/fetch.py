"""Getting pages: files and URLs, decoded whatever their encoding; feeds and sitemaps.

- Files and URLs alike are refused past MAX_BYTES (20 MB) and when they are binary.
- URLs go through httpx with timeouts, honour robots.txt (urllib.robotparser, cached per
  host) and a minimum interval per host.
- Decoding detects, it does not trust: BOM, then strict UTF-8, then the declared charset
  (HTTP header or <meta>), then charset-normalizer; GB2312/GBK are decoded as GB18030 (its
  superset: pages labelled GB2312 routinely use GBK characters).
- An RSS/Atom feed or a sitemap expands to the article URLs it lists.

Errors are `FetchError` with one bilingual line. Pure of Django.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import httpx
from lxml import etree

from parklink.core.hygiene import parse_int

MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "ParkLinkBot/0.1 (+https://parklink.local/bot)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class FetchError(Exception):
    """One clear line: why this input could not be read."""


@dataclass(frozen=True)
class Fetched:
    ref: str  # the path or URL exactly as given
    data: bytes
    content_type: str = ""
    url: str = ""  # final URL after redirects ("" for files)
    charset: str = ""  # declared in the HTTP header, if any


@dataclass
class Page:
    ref: str
    text: str
    is_html: bool
    url: str = ""
    encoding: str = ""


def is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


# --- Decoding ----------------------------------------------------------------------------

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)", re.IGNORECASE)


def _codec(name: str) -> str:
    name = name.strip().lower()
    return _ALIASES.get(name, name)


def declared_charset(data: bytes, header: str = "") -> str:
    if header:
        return _codec(header)
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _codec(m[1].decode("ascii", "replace")) if m else ""


_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def is_binary(data: bytes) -> bool:
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    magic = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh")
    if head.startswith(magic):
        return True
    # Control bytes other than tab/newline/CR: delete the rest and count what was removed.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def decode(data: bytes, *, header_charset: str = "") -> tuple[str, str]:
    """(text, encoding used). Raises FetchError when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, header_charset)
    if declared and declared not in ("utf-8", "utf-16"):
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        enc = _codec(best.encoding)
        # Chinese pages: prefer the GB superset over what the detector names for them.
        if enc in ("gb18030", "big5hkscs", "hz") or best.encoding.startswith("gb"):
            enc = enc if enc != "hz" else "gb18030"
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    for enc in ("gb18030", "big5hkscs"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise FetchError("无法识别的文本编码 / unknown text encoding")


_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|div|p|meta|title)\b", re.IGNORECASE)


def looks_like_html(text: str, content_type: str = "") -> bool:
    if "html" in content_type:
        return True
    return bool(_HTML_SNIFF.search(text[:5000]))


def to_page(fetched: Fetched) -> Page:
    data = fetched.data
    if not data.strip():
        raise FetchError("空页面 / empty page")
    if len(data) > MAX_BYTES:
        raise FetchError("页面超过 20 MB / page larger than 20 MB")
    if is_binary(data):
        raise FetchError("二进制文件,不是网页或文本 / binary file, not a page or text")
    text, encoding = decode(data, header_charset=fetched.charset)
    if not text.strip():
        raise FetchError("空页面 / empty page")
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 100):
        raise FetchError("无法识别的文本编码 / unknown text encoding")
    return Page(
        ref=fetched.ref,
        text=text,
        is_html=looks_like_html(text, fetched.content_type),
        url=fetched.url,
        encoding=encoding,
    )


# --- Files -------------------------------------------------------------------------------


def read_file(ref: str) -> Fetched:
    path = Path(ref)
    if not path.exists():
        raise FetchError("文件不存在 / no such file")
    if not path.is_file():
        raise FetchError("不是文件 / not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FetchError("页面超过 20 MB / page larger than 20 MB")
    return Fetched(ref=ref, data=path.read_bytes())


# --- HTTP --------------------------------------------------------------------------------


@dataclass
class Fetcher:
    """HTTP with robots.txt, a per-host interval and a size limit. One per batch."""

    min_interval_s: float = 1.0
    respect_robots: bool = True
    client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _client(self) -> httpx.Client:
        if self.client is None:
            self.client = httpx.Client(
                timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            )
        return self.client

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def _wait(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            if last is not None and now - last < self.min_interval_s:
                self.sleep(self.min_interval_s - (now - last))
            self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
            try:
                self._wait(parts.netloc)
                r = self._client().get(origin + "/robots.txt")
                if r.status_code in (401, 403):
                    parser.disallow_all = True  # type: ignore[union-attr]
                elif r.status_code >= 400:
                    parser.allow_all = True  # type: ignore[union-attr]
                else:
                    parser.parse(r.text.splitlines())  # type: ignore[union-attr]
            except httpx.HTTPError:
                parser = None  # robots unreachable: the page fetch reports it
            self._robots[origin] = parser
        parser = self._robots[origin]
        return True if parser is None else parser.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> Fetched:
        if not self.allowed(url):
            raise FetchError("robots.txt 禁止抓取 / disallowed by robots.txt")
        self._wait(urlsplit(url).netloc)
        try:
            with self._client().stream("GET", url) as r:
                if r.status_code >= 400:
                    raise FetchError(f"HTTP {r.status_code} / server answered {r.status_code}")
                length = r.headers.get("content-length")
                if (parse_int(length) or 0) > MAX_BYTES:
                    raise FetchError("页面超过 20 MB / page larger than 20 MB")
                chunks: list[bytes] = []
                total = 0
                for chunk in r.iter_bytes():
                    total += len(chunk)
                    if total > MAX_BYTES:
                        raise FetchError("页面超过 20 MB / page larger than 20 MB")
                    chunks.append(chunk)
                content_type = r.headers.get("content-type", "")
                charset = r.charset_encoding or ""
                final = str(r.url)
        except httpx.TimeoutException as exc:
            raise FetchError("连接超时 / timed out") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"无法访问 / unreachable ({type(exc).__name__})") from exc
        return Fetched(
            ref=url, data=b"".join(chunks), content_type=content_type, url=final, charset=charset
        )


# --- Feeds and sitemaps ------------------------------------------------------------------


def feed_links(data: bytes, base_url: str = "") -> list[str] | None:
    """Article URLs listed by an RSS/Atom feed or a sitemap (index); None if it is neither."""
    head = data[:2048].lstrip().lower()
    if not any(tag in head for tag in (b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")):
        return None
    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        )
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    tag = etree.QName(root).localname.lower()
    links: list[str] = []
    if tag == "rss" or tag == "rdf":
        links = [
            t.strip() for t in root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
        ]
    elif tag == "feed":
        for entry in root.xpath("//*[local-name()='entry']"):
            hrefs = entry.xpath("*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
            if hrefs:
                links.append(hrefs[0].strip())
    elif tag in ("urlset", "sitemapindex"):
        links = [t.strip() for t in root.xpath("//*[local-name()='loc']/text()")]
    else:
        return None
    return [urljoin(base_url, u) for u in links if u]


def is_sitemap_index(data: bytes) -> bool:
    return b"<sitemapindex" in data[:2048]
