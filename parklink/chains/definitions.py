"""Chain templates (产业链模板): the data files in chains/data/*.yaml read into frozen dataclasses.

A template is the target picture (远景图) of one industry's chain: its segments (环节) in chain
order, each with a stage (上游/中游/下游/公共服务平台) and the evidence that places an
organisation on it. Pure Python (no Django): the engine in ``analysis`` takes these objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
STAGES = ("上游", "中游", "下游", "公共服务平台")


class TemplateError(ValueError):
    """A template file that does not have the expected shape."""


@dataclass(frozen=True)
class Segment:
    """One link (环节) of a chain and what places an organisation on it."""

    name: str
    stage: str
    name_patterns: tuple[str, ...] = ()
    generic_patterns: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = ()
    strong_min: int | None = None  # overrides the config's threshold for this segment


@dataclass(frozen=True)
class Template:
    """An industry chain: segments in chain order, the park industries it fits, its domain."""

    name: str
    slug: str
    aliases: tuple[str, ...]
    industries: tuple[str, ...]
    domain: tuple[str, ...]
    segments: tuple[Segment, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, self.slug, *self.aliases)


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise TemplateError(f"{where}: {key} must be a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def template_parse(raw: Any, *, slug: str) -> Template:
    """One template from its YAML mapping; raises TemplateError naming the bad field."""
    if not isinstance(raw, dict) or not raw.get("name"):
        raise TemplateError(f"{slug}: a template needs a name")
    segments = []
    seen: set[str] = set()
    for i, seg in enumerate(raw.get("segments") or []):
        where = f"{slug}: segments[{i}]"
        if not isinstance(seg, dict) or not seg.get("name"):
            raise TemplateError(f"{where}: a segment needs a name")
        if seg.get("stage") not in STAGES:
            raise TemplateError(f"{where}: stage must be one of {'/'.join(STAGES)}")
        if seg["name"] in seen:
            raise TemplateError(f"{where}: duplicate segment {seg['name']}")
        seen.add(seg["name"])
        strong_min = seg.get("strong_min")
        if strong_min is not None and (not isinstance(strong_min, int) or strong_min < 1):
            raise TemplateError(f"{where}: strong_min must be a positive integer")
        segments.append(
            Segment(
                name=str(seg["name"]),
                stage=str(seg["stage"]),
                name_patterns=_strings(seg, "name_patterns", where),
                generic_patterns=_strings(seg, "generic_patterns", where),
                kinds=_strings(seg, "kinds", where),
                keywords=_strings(seg, "keywords", where),
                exemplars=_strings(seg, "exemplars", where),
                strong_min=strong_min,
            )
        )
    if not segments:
        raise TemplateError(f"{slug}: a template needs segments")
    return Template(
        name=str(raw["name"]),
        slug=slug,
        aliases=_strings(raw, "aliases", slug),
        industries=_strings(raw, "industries", slug),
        domain=_strings(raw, "domain", slug),
        segments=tuple(segments),
    )


def templates_load(directory: Path = DATA_DIR) -> tuple[Template, ...]:
    """Every template in ``directory`` (one YAML file each), ordered by file name."""
    return tuple(
        template_parse(yaml.safe_load(path.read_text(encoding="utf-8")), slug=path.stem)
        for path in sorted(directory.glob("*.yaml"))
    )


@cache
def builtin_templates() -> tuple[Template, ...]:
    """The templates shipped in chains/data (read once per process)."""
    return templates_load(DATA_DIR)


def template_find(name: str, templates: tuple[Template, ...]) -> Template | None:
    """A template by its name, file name (slug) or an alias; case-insensitive for Latin."""
    wanted = name.strip().casefold()
    for t in templates:
        if wanted in (n.casefold() for n in t.all_names):
            return t
    return None
