"""The portal home renders in a real browser with the demo parks and no console errors."""


def test_home_renders_parks_in_chromium(live_server, page, demo_data):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text()
    assert page.get_by_text("中关村生命科学园").first.is_visible()
    assert errors == []
