"""Renderers over one finished `AuditResult`; each is `render(result, **options) -> str`."""
from __future__ import annotations

from collections.abc import Callable

from . import json as json_reporter
from . import markdown, text

RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_reporter.render,
}
