"""Renderers over one finished `AuditResult`; each is `render(result, **options) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from svcaudit.reporters import github, junit, markdown, text
from svcaudit.reporters import json as json_reporter

RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_reporter.render,
    "junit": junit.render,
    "github": github.render,
}
