"""The CSP allows no inline script or style: templates must not carry any."""

import re
from pathlib import Path

import parklink

ROOT = Path(parklink.__file__).parent
INLINE = re.compile(r"""\sstyle\s*=\s*["']|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']""", re.I)


def test_no_inline_style_script_or_handler_in_templates():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.rglob("templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert offenders == []
