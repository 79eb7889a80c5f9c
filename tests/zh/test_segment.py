from parklink.zh import segment


def test_catalogue_name_stays_one_token(tmp_path):
    segment.configure(tmp_dir=tmp_path / "jieba")
    segment.add_words(["中关村生命科学园"])
    assert "中关村生命科学园" in segment.cut("坐落着中关村生命科学园(简称生命园)")


def test_index_tokens_add_sub_words_search_mode_misses():
    segment.add_words(["中关村生命科学园"])
    tokens = segment.index_tokens("中关村生命科学园")
    assert "中关村生命科学园" in tokens
    assert "生命科学" in tokens  # cut_for_search alone does not give it
    assert "中关村" in tokens
    assert len(tokens) == len(set(tokens))


def test_cut_drops_punctuation():
    assert all(t.strip("，。 ") for t in segment.cut("园区，企业。"))


def test_clean_name_drops_editorial_notes_but_keeps_real_brackets():
    assert segment.clean_name("未来科技城 (former name)") == "未来科技城"
    assert segment.clean_name("国家蛋白质科学中心(北京)") == "国家蛋白质科学中心(北京)"
    assert segment.clean_name("x") == ""


def test_user_dictionary_lines_are_unique_and_sorted():
    text = segment.user_dictionary(
        ["生命园", "中关村生命科学园", "生命园", "未来科技城 (former name)"]
    )
    lines = text.splitlines()
    assert [ln.split()[0] for ln in lines] == sorted({"生命园", "中关村生命科学园", "未来科技城"})
    assert all(ln.split()[1].isdigit() for ln in lines)
