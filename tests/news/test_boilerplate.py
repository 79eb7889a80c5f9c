from datetime import date

from parklink.news.boilerplate import is_content, parse_meta, parse_related, strip_text_page

FETCHED = date(2025, 5, 3)
SIDEBAR = ("我国风电光伏发电装机超过煤电装机", "财政部", "封面新闻", "PMI", "邓雅文")
CONTACT = ("葛毅明", "400 0123 021", "13391219793", "请说明您的需求", "微信")
COPYRIGHT = ("版权声明", "北京厂房网")


def test_seed_title_meta_and_body_bounds(seed_text):
    page = strip_text_page(seed_text, fetched_at=FETCHED)
    assert page.title == "从“生命细胞”到创新网络中关村生命科学园二十载裂变"
    assert page.body.startswith("静思湖畔的湖林隐客")
    assert page.body.endswith("提供有力支撑。")
    assert page.meta.author == "admin"
    assert page.meta.category == "北京产业信息"
    assert page.meta.views == 46
    assert page.meta.published == date(2024, 11, 3)
    assert page.breadcrumb == ("北京产业信息",)


def test_seed_body_has_no_sidebar_contact_copyright_or_related(seed_text):
    body = strip_text_page(seed_text, fetched_at=FETCHED).body
    for text in (*SIDEBAR, *CONTACT, *COPYRIGHT, "当前位置", "分享给朋友", "相关文章", "路演会"):
        assert text not in body, text


def test_seed_related_articles_are_kept_separately(seed_text):
    page = strip_text_page(seed_text, fetched_at=FETCHED)
    titles = [r.title for r in page.related]
    assert (
        titles[0] == "引领生命科学创新前沿!中关村生命科学园加速成长为具有全球竞争力的医药产业高地"
    )
    assert "区领导带队到中关村生命科学园调研" in titles
    assert len(titles) == len(set(titles)) == 5
    assert all(r.excerpt for r in page.related)
    # The repost's own "原标题" frame is cut off the excerpt.
    assert page.related[0].excerpt.startswith("中关村生命科学园(以下简称")
    assert page.copyright.startswith("版权声明:本文由北京厂房网发布")


def test_labelled_meta_line():
    meta = parse_meta(
        "作者:张三 发布时间:2023-05-18 10:20 浏览次数:1024 来源:新华网", fetched_at=FETCHED
    )
    assert (meta.author, meta.published, meta.views, meta.source_name) == (
        "张三",
        date(2023, 5, 18),
        1024,
        "新华网",
    )


def test_related_pairs_titles_with_excerpts():
    items = parse_related(
        ["标题一号文章", "标题一号文章", "这是一段很长的摘要" * 8 + "...", "标题二"]
    )
    assert [(i.title, bool(i.excerpt)) for i in items] == [
        ("标题一号文章", True),
        ("标题二", False),
    ]


def test_is_content():
    assert is_content("这是一句完整的正文句子。")
    assert not is_content("封面新闻丨深中通道正式开通!这个海上奇迹有多强?"[:-1])
    assert not is_content("短句。")


def test_plain_text_without_breadcrumb():
    paragraphs = [
        "今年以来,园区新增入驻企业三家,涵盖生物医药和医疗器械领域。",
        "园区负责人表示,下一步将继续完善配套服务,吸引更多创新企业。",
        "据介绍,三家企业合计租用研发楼面积约一万平方米。",
    ]
    text = "园区动态\n\n某某园区新增三家企业\n\n2023-05-18\n\n" + "\n".join(paragraphs)
    page = strip_text_page(text)
    assert page.title == "某某园区新增三家企业"
    assert page.meta.published == date(2023, 5, 18)
    assert page.body.split("\n\n") == paragraphs


def test_repeated_lines_are_dropped_as_sidebar():
    body = ["第一段正文的内容写在这里。", "第二段正文的内容写在这里。"]
    sidebar = ["热门文章一条比较长的标题"] * 2
    page = strip_text_page("\n".join(["标题在这里", *body, *sidebar]))
    assert "热门文章" not in page.body
