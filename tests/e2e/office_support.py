"""Helpers of the back-office browser tests: a logged-in page per language and viewport, and
screenshots kept for review (PARKLINK_SCREENSHOTS, default var/screenshots/)."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.test import Client

LANGS = {"zh": "zh-CN", "en": "en-US"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def screenshot_dir() -> Path:
    path = Path(os.environ.get("PARKLINK_SCREENSHOTS") or Path.cwd() / "var" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page, name: str) -> Path:
    """A full-page PNG named after the page, language and viewport (office-board-zh-phone)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    path = screenshot_dir() / f"office-{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def office_page(browser, live_server, user, *, lang: str = "zh", viewport: str = "desktop"):
    """A browser page logged in as `user` (session cookie, no login form), speaking `lang`,
    collecting console errors in `page.console_errors`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale=LANGS[lang],
        viewport=VIEWPORTS[viewport],
        extra_http_headers={"Accept-Language": LANGS[lang]},
        has_touch=viewport == "phone",
    )
    host = urlparse(live_server.url).hostname
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    try:
        yield page
    finally:
        context.close()


def no_sideways_scroll(page) -> bool:
    """The page itself does not scroll sideways (inner scrollers such as the board may)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
