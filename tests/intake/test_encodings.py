"""Choosing an encoding from a file's first bytes: each case is a sample and the encoding it is read in."""

from __future__ import annotations

import codecs

import pytest

from svcaudit.intake.encodings import (
    FALLBACK_ENCODING,
    check_encoding_name,
    choose_encoding,
    undecodable_bytes,
)

RU = "Здравствуйте, ваш заказ готов к выдаче. Спасибо за обращение!"
FR = "Bonjour, votre commande est prête. Merci de votre fidélité, à bientôt!"
HEADER = "ticket_id;created_at;customer_name;subject\n"

CASES = [
    ("empty", b"", False, "utf-8-sig"),
    ("ascii", b"ticket_id,created_at\n", False, "utf-8-sig"),
    ("utf-8", "ticket_id\nАнна\n".encode(), False, "utf-8-sig"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + b"ticket_id\n", False, "utf-8-sig"),
    # A character cut by the end of the sample window is still UTF-8; cut at the end of the file, not.
    ("utf-8 cut by the window", "ticket_id\nАнна".encode()[:-1], False, "utf-8-sig"),
    ("utf-8 cut at the end of the file", "ticket_id\nАнна Ёлка".encode()[:-1], True, FALLBACK_ENCODING),
    ("utf-16 with BOM", "ticket_id\nАнна\n".encode("utf-16"), False, "utf-16"),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + "ticket_id\n".encode("utf-16-be"), False, "utf-16"),
    ("utf-32 with BOM", "ticket_id\n".encode("utf-32"), False, "utf-32"),
    ("utf-16-le without BOM", "ticket_id,created_at\nT1,Анна\n".encode("utf-16-le"), False, "utf-16-le"),
    ("utf-16-be without BOM", "ticket_id,created_at\nT1,Анна\n".encode("utf-16-be"), False, "utf-16-be"),
    ("cp1251, a few words", (HEADER + "1;02.11.2025 09:00;Анна;Ёж\n").encode("cp1251"), True, "cp1251"),
    ("cp1251, sentences", (HEADER + f"1;02.11.2025;Анна;{RU}\n" * 5).encode("cp1251"), True, "cp1251"),
    ("koi8-r", (HEADER + f"1;02.11.2025;Анна;{RU}\n" * 5).encode("koi8_r"), True, "koi8_r"),
    ("cp866 (DOS)", (HEADER + f"1;02.11.2025;Анна;{RU}\n").encode("cp866"), True, "cp866"),
    ("cp1252", (HEADER + f"1;02.11.2025;José;{FR}\n" * 3).encode("cp1252"), True, "cp1252"),
    ("cp1252, one word", "ticket_id,customer_name\n1,José\n".encode("cp1252"), True, "cp1252"),
    (
        "shift_jis",
        ("ticket_id,text\n" + "1,こんにちは、ご注文の準備ができました\n" * 5).encode("shift_jis"),
        True,
        "cp932",
    ),
]


@pytest.mark.parametrize("name, sample, complete, expected", CASES, ids=[c[0] for c in CASES])
def test_choose_encoding(name, sample, complete, expected):
    assert choose_encoding(sample, complete=complete) == expected


def test_the_declared_encoding_wins():
    assert choose_encoding("Анна".encode(), "koi8_r") == "koi8_r"


@pytest.mark.parametrize(
    "name, problem",
    [
        ("utf-8", None),
        ("CP1251", None),
        ("latin-1", None),
        ("nonsense", "unknown encoding 'nonsense'"),
        ("hex", "'hex' is not a text encoding"),
        ("zlib", "'zlib' is not a text encoding"),
        ("utf\x00", "unknown encoding 'utf\\x00'"),
    ],
)
def test_encoding_names(name, problem):
    assert check_encoding_name(name) == problem


def test_undecodable_bytes_are_escaped_and_found():
    text = b"ok \xc0\xed ok".decode("utf-8", errors="svcaudit-escape")
    assert text.startswith("ok ") and text.endswith(" ok")
    assert undecodable_bytes(text) == b"\xc0\xed"
    assert undecodable_bytes("plain Анна") is None
