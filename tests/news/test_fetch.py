import pytest

from parklink.news import fetch


def test_undeclared_gbk_is_detected_and_decoded_as_gb18030():
    text = "<html><body><p>中关村生命科学园孵化器入住率已高达91%，园区规划核心区占地7.19平方公里。</p></body></html>"
    decoded, encoding = fetch.decode(text.encode("gbk"))
    assert decoded == text
    assert encoding == "gb18030"


def test_declared_gb2312_carrying_gbk_characters_decodes():
    text = '<meta charset="gb2312"><p>镕基与喆的名字，园区企业发展迅速。</p>'  # 镕/喆 are GBK, not GB2312
    decoded, encoding = fetch.decode(text.encode("gbk"))
    assert decoded == text and encoding == "gb18030"


def test_declared_gbk_that_is_really_utf8_is_not_trusted():
    text = '<meta charset="gbk"><p>园区企业发展迅速。</p>'
    assert fetch.decode(text.encode("utf-8")) == (text, "utf-8")


def test_big5():
    text = "<p>中關村生命科學園區發展迅速，孵化器入住率高達九成。</p>"
    decoded, _ = fetch.decode(text.encode("big5"))
    assert decoded == text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "empty page"),
        (b"   \n  ", "empty page"),
        (b"%PDF-1.7\n\x00\x01binary", "binary file"),
        (bytes(range(256)) * 10, "binary file"),
    ],
)
def test_bad_bytes_refused_with_one_line(data, error):
    with pytest.raises(fetch.FetchError, match=error):
        fetch.to_page(fetch.Fetched(ref="x", data=data))


def test_file_over_20_mb_refused_before_reading(tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as f:  # sparse: no 20 MB written
        f.truncate(fetch.MAX_BYTES + 1)
    with pytest.raises(fetch.FetchError, match=r"20 MB"):
        fetch.read_file(str(big))


def test_missing_file():
    with pytest.raises(fetch.FetchError, match="no such file"):
        fetch.read_file("/nonexistent/page.html")


def test_http_fetch_honours_robots_and_rate(site):
    root, base = site
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (root / "ok.html").write_text("<html><body><p>正文。</p></body></html>", encoding="utf-8")
    waits = []
    fetcher = fetch.Fetcher(min_interval_s=5.0, sleep=waits.append)
    try:
        got = fetcher.get(f"{base}/ok.html")
        assert got.data.startswith(b"<html>")
        assert "text/html" in got.content_type
        with pytest.raises(fetch.FetchError, match=r"robots\.txt"):
            fetcher.get(f"{base}/private/secret.html")
    finally:
        fetcher.close()
    # robots.txt then the page on the same host: the second request waited its turn.
    assert waits and all(0 < w <= 5.0 for w in waits)


def test_http_errors_are_one_line(site, closed_port_url):
    _, base = site
    fetcher = fetch.Fetcher(min_interval_s=0)
    try:
        with pytest.raises(fetch.FetchError, match="404"):
            fetcher.get(f"{base}/missing.html")
        with pytest.raises(fetch.FetchError, match="unreachable"):
            fetcher.get(closed_port_url)
    finally:
        fetcher.close()


def test_http_over_20_mb_refused(site):
    root, base = site
    with (root / "huge.html").open("wb") as f:
        f.truncate(fetch.MAX_BYTES + 1)
    fetcher = fetch.Fetcher(min_interval_s=0)
    try:
        with pytest.raises(fetch.FetchError, match=r"20 MB"):
            fetcher.get(f"{base}/huge.html")
    finally:
        fetcher.close()


def test_rss_atom_and_sitemap_list_their_articles():
    rss = b"""<?xml version="1.0"?><rss><channel><item><link>http://a.test/1.html</link></item>
    <item><link>/2.html</link></item></channel></rss>"""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <link rel="alternate" href="http://a.test/3.html"/></entry></feed>"""
    sitemap = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>http://a.test/4.html</loc></url></urlset>"""
    assert fetch.feed_links(rss, "http://a.test/feed") == [
        "http://a.test/1.html",
        "http://a.test/2.html",
    ]
    assert fetch.feed_links(atom) == ["http://a.test/3.html"]
    assert fetch.feed_links(sitemap) == ["http://a.test/4.html"]
    assert fetch.feed_links(b"<html><body>not a feed</body></html>") is None
