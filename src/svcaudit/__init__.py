"""svcaudit: audit support logs against a service standard written in YAML."""

from __future__ import annotations

__version__ = "0.1.0"
