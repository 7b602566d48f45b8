"""Scalar forms a standard writes: shares ("95%" or 0.95)."""

from __future__ import annotations

from typing import Any


def parse_share(value: Any) -> float:
    """A share between 0 and 1 from "95%", "95 %", 0.95 or 1."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a percentage")
    if isinstance(value, str):
        text = value.strip()
        if not text.endswith("%"):
            raise ValueError(f"{value!r}: write a percentage like 95% or a share like 0.95")
        try:
            share = float(text[:-1].strip().replace(",", ".")) / 100
        except ValueError:
            raise ValueError(f"{value!r} is not a percentage") from None
    elif isinstance(value, (int, float)):
        share = float(value)
    else:
        raise ValueError(f"{value!r} is not a percentage")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{value!r} is outside 0%..100%")
    return share
