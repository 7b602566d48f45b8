"""The HTML report of `svcaudit report`: a well-formed, self-contained page with the tables and SVG charts.

The structure is checked with the standard library's HTML parser. When Chromium is installed, the page
is also rendered headless, to the DOM and to a PNG whose pixels are read back with zlib.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from svcaudit.audit.grouped import NONE_LABEL, TablesReport, build_report, parse_by, resolve_period
from svcaudit.cli import app
from svcaudit.reporters.tables_html import (
    BAR_COLOUR,
    FIRST_REPLY_BUCKETS,
    HISTOGRAM_COLOUR,
    first_reply_histogram,
    render_html,
)
from svcaudit.standard.loader import load_standard
from tests.paths import SAMPLES

AS_OF = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
EXPORTS = [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"]
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
PERCENT_TOLERANCE = 0.05 + 1e-9  # a figure shown to 0.1% against the JSON's four decimals
UP, DOWN = "▲", "▼"

# (--by, --period): a trend over weeks, teams against the week before, and two fields at once.
CASES = [("week", None), ("team", "2026-W47"), ("week,agent", None)]


def build(by: str, period: str | None, standard: str = "builtin:default") -> TablesReport:
    loaded = load_standard(standard)
    chosen, before = resolve_period(ZoneInfo(loaded.timezone), period, None, None, (None, None))
    return build_report(loaded, EXPORTS, AS_OF, parse_by(by), chosen, before)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # own and descendants' text, in order

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(self.texts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes)]

    def by_id(self, ident: str) -> Node:
        found = [n for n in self.walk() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]


class Page(HTMLParser):
    """A strict little tree builder: every non-void element must be closed, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.doctype = ""
        self.feed(text)
        self.close()
        if len(self.stack) != 1:
            self.errors.append("unclosed: " + ", ".join(n.tag for n in self.stack[1:]))

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}> at line {self.getpos()[0]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.texts.append(data)


@pytest.fixture(scope="module", params=CASES, ids=[f"by={by}" + (f",period={p}" if p else "") for by, p in CASES])
def case(request):
    report = build(*request.param)
    page = render_html(report)
    return report, page, Page(page)


def rows_of(table: Node) -> list[list[str]]:
    return [[cell.text().strip() for cell in tr.find_all("td")] for tr in table.find_all("tr") if tr.find_all("td")]


def percent(text: str) -> float | None:
    return None if text == "—" else float(text.rstrip("%"))


def close_to(shown: float | None, exact: float | None) -> bool:
    if exact is None or shown is None:
        return shown is None and exact is None
    return abs(shown - exact * 100) <= PERCENT_TOLERANCE


def group_label(group: dict) -> str:
    return " · ".join(group["key"].values()) or "all"


# --- structure ---------------------------------------------------------------------------------------


def test_page_is_well_formed_html5(case):
    _, text, page = case
    assert page.errors == []
    assert page.doctype.lower() == "doctype html"
    assert [n.tag for n in page.root.children] == ["html"]
    html_node = page.root.children[0]
    assert [n.tag for n in html_node.children] == ["head", "body"]
    assert any(n.attrs.get("charset", "").lower() == "utf-8" for n in page.root.find_all("meta"))
    assert page.root.find_all("title")[0].text().startswith("Compliance by ")
    assert text.endswith("</html>\n")


def test_page_is_self_contained(case):
    _, text, page = case
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert page.root.find_all(tag) == [], f"<{tag}> in the page"
    for node in page.root.walk():
        for name in ("src", "href", "xlink:href", "srcset", "action"):
            value = node.attrs.get(name, "")
            assert not value.startswith(("http://", "https://", "//")), f"{node.tag} {name}={value}"
    assert "http://" not in text and "https://" not in text
    assert "@import" not in text and "url(" not in text
    assert len(page.root.find_all("style")) == 1


def test_title_and_intro_name_the_period(case):
    report, _, page = case
    heading = page.root.find_all("h1")[0].text()
    assert heading.startswith("Compliance by " + ", ".join(report.by))
    if report.period:
        assert report.period.label in heading and report.previous_period.label in heading
    intro = " ".join(p.text() for p in page.root.find_all("p", "intro"))
    assert f"{report.tickets} tickets audited" in intro
    assert "samples/tickets.csv: 300 rows read" in intro


def test_compliance_table_holds_every_group_and_figure(case):
    report, _, page = case
    groups = report.to_dict()["groups"]
    table = page.root.by_id("compliance").find_all("table")[0]
    rows = rows_of(table)
    assert len(rows) == len(groups)
    for cells, group in zip(rows, groups, strict=True):
        width = len(group["key"]) or 1
        assert cells[:width] == list(group["key"].values())
        assert int(cells[width]) == group["tickets"]
        assert close_to(percent(cells[width + 1]), group["compliance"])  # Compliance
        assert close_to(percent(cells[width + 3]), group["sla"])  # SLA met, after the Δ column


def test_every_section_table_is_there(case):
    report, _, page = case
    for section in ("compliance", "response-times", "satisfaction-and-resolution", "rules", "breaches"):
        assert page.root.by_id(section).find_all("table"), section
    headers = [th.text() for th in page.root.by_id("response-times").find_all("th")]
    assert "1st reply median" in headers and "Resolution p90" in headers
    rules = rows_of(page.root.by_id("rules").find_all("table")[0])
    assert {cells[len(report.by)] for cells in rules} >= {"first-reply", "greeting"}


def test_change_arrows_are_coloured_by_direction(case):
    report, _, page = case
    groups = report.to_dict()["groups"]
    table = page.root.by_id("compliance").find_all("table")[0]
    body_rows = [tr for tr in table.find_all("tr") if tr.find_all("td")]
    for tr, group in zip(body_rows, groups, strict=True):
        delta = tr.find_all("td", "delta")[0]  # the compliance change
        change = group["change"].get("compliance")
        if change is None:
            assert delta.text() == ""
        elif change > 1e-9:
            assert delta.text().startswith(UP) and "good" in delta.classes
        elif change < -1e-9:
            assert delta.text().startswith(DOWN) and "bad" in delta.classes
    # Waiting times are better when they fall: a ▼ there is green.
    for cell in page.root.by_id("response-times").find_all("td", "delta"):
        if cell.text().startswith(DOWN):
            assert "good" in cell.classes
        elif cell.text().startswith(UP):
            assert "bad" in cell.classes


@pytest.mark.parametrize("chart_id, key", [("chart-compliance", "compliance"), ("chart-sla", "sla")])
def test_share_charts_have_one_bar_per_group(case, chart_id, key):
    report, _, page = case
    groups = report.to_dict()["groups"]
    svg = page.root.by_id(chart_id)
    bars = svg.find_all("g", "bar")
    assert len(bars) == len(groups)
    for bar, group in zip(bars, groups, strict=True):
        assert bar.attrs["data-group"] == group_label(group)
        tooltip = bar.children[0]
        assert tooltip.tag == "title" and group_label(group) in tooltip.text()
        value = group[key]
        if value is None:
            assert bar.attrs["data-value"] == "" and "—" in tooltip.text()
        else:
            assert abs(float(bar.attrs["data-value"]) - value) <= 1e-4
            shown = re.search(r": (\d+\.\d%)", tooltip.text()).group(1)
            assert close_to(percent(shown), value)
        assert len(bar.find_all("rect")) == 1
    with_previous = sum(1 for g in groups if g["previous"] is not None and g["previous"][key] is not None)
    assert len(svg.find_all("line", "previous")) == with_previous


def test_compliance_chart_marks_the_pass_threshold(case):
    report, _, page = case
    svg = page.root.by_id("chart-compliance")
    assert len(svg.find_all("line", "target")) == 1
    assert f"target {report.standard.pass_threshold:.1%}" in svg.text()


def test_histogram_buckets_add_up_to_the_first_replies(case):
    report, _, page = case
    svg = page.root.by_id("chart-first-reply")
    buckets = svg.find_all("g", "bucket")
    assert [b.attrs["data-bucket"] for b in buckets] == [label for label, _, _ in FIRST_REPLY_BUCKETS]
    counts = [int(b.attrs["data-count"]) for b in buckets]
    values = [v for row in report.rows for v in row.stats.first_reply_values]
    assert sum(counts) == len(values) == int(svg.attrs["data-total"])
    assert sum(g["first_reply"]["count"] for g in report.to_dict()["groups"]) == len(values)
    assert counts == first_reply_histogram(values)
    for bucket, count in zip(buckets, counts, strict=True):
        assert bucket.children[0].tag == "title"
        assert bucket.children[0].text().startswith(f"{bucket.attrs['data-bucket']}: {count} first replies")


def test_charts_are_labelled(case):
    _, _, page = case
    charts = page.root.find_all("svg")
    assert [c.attrs["id"] for c in charts] == ["chart-compliance", "chart-sla", "chart-first-reply"]
    for svg in charts:
        assert svg.attrs["role"] == "img" and svg.attrs["aria-label"]
        assert svg.children[0].tag == "title" and svg.children[0].text() == svg.attrs["aria-label"]
        assert svg.attrs["viewbox"].startswith("0 0 ")  # the parser lowercases attribute names
        assert len(svg.find_all("text")) >= 8  # ticks, group labels and axis titles
    histogram = page.root.by_id("chart-first-reply").text()
    assert "Time to first reply" in histogram and "First replies" in histogram
    assert "Compliance" in page.root.by_id("chart-compliance").text()


def test_output_is_deterministic():
    first = render_html(build("week", None))
    assert render_html(build("week", None)) == first
    assert render_html(build("week", None), limit=5) != first  # options do reach the page


# --- details -----------------------------------------------------------------------------------------

HOUR, DAY = 3600, 86400
# (first-reply seconds, index of the bucket it belongs to): both sides of every edge.
BUCKET_EDGES = [
    (0, 0),
    (299, 0),
    (300, 1),
    (899, 1),
    (900, 2),
    (HOUR - 1, 2),
    (HOUR, 3),
    (4 * HOUR - 1, 3),
    (4 * HOUR, 4),
    (8 * HOUR - 1, 4),
    (8 * HOUR, 5),
    (DAY - 1, 5),
    (DAY, 6),
    (3 * DAY - 1, 6),
    (3 * DAY, 7),
    (90 * DAY, 7),
]


@pytest.mark.parametrize("seconds, bucket", BUCKET_EDGES)
def test_first_reply_bucket_edges(seconds, bucket):
    counts = first_reply_histogram([seconds])
    assert counts.index(1) == bucket and sum(counts) == 1


def test_russian_names_survive_in_utf8():
    page = render_html(build("team", "2026-W47"))
    assert "Первая линия" in page and "Возвраты" in page
    assert "Первая линия" in page.encode("utf-8").decode("utf-8")


def test_text_is_escaped():
    report = build("team", "2026-W47")
    hostile = '<b onmouseover="x">R&D</b>'
    report.rows[0].key = {"team": hostile}
    text = render_html(report)
    page = Page(text)
    assert page.errors == []
    assert hostile not in text and "&lt;b onmouseover=&quot;x&quot;&gt;R&amp;D&lt;/b&gt;" in text
    assert page.root.find_all("b") == []
    assert page.root.by_id("chart-compliance").find_all("g", "bar")[0].attrs["data-group"] == hostile


def test_a_period_without_tickets_still_renders():
    report = build("team", "2025-W01")
    text = render_html(report)
    page = Page(text)
    assert page.errors == []
    assert page.root.by_id("chart-compliance").find_all("g", "bar") == []
    assert page.root.by_id("chart-first-reply").attrs["data-total"] == "0"
    assert "no ticket was created in the period 2025-W01" in text


def test_grouping_by_rule_shows_one_group():
    report = build("rule", None)
    page = Page(render_html(report))
    assert page.errors == []
    bars = page.root.by_id("chart-compliance").find_all("g", "bar")
    assert [b.attrs["data-group"] for b in bars] == ["all"]


def test_none_label_is_a_group_of_its_own():
    report = build("agent", None)
    labels = [b.attrs["data-group"] for b in Page(render_html(report)).root.by_id("chart-sla").find_all("g", "bar")]
    assert labels[-1] == NONE_LABEL and len(labels) == len(report.rows)


def test_cli_writes_the_html_report(tmp_path):
    target = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            *map(str, EXPORTS),
            "--as-of",
            "2026-11-23T12:00:00Z",
            "--by",
            "team",
            "--period",
            "2026-W47",
            "--format",
            "html",
            "--output",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == render_html(build("team", "2026-W47"))


# --- rendered by Chromium ----------------------------------------------------------------------------

CHROMIUM_TIMEOUT = 180
WINDOW = (1280, 2000)
MIN_SCREENSHOT_BYTES = 20_000
COLOUR_TOLERANCE = 8


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium) — the rendering checks are skipped")


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    binary = chromium()
    folder = tmp_path_factory.mktemp("chromium")
    report = build("week", None)
    page = folder / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    dom = run_chromium(binary, folder / "profile", "--dump-dom", page.as_uri())
    shot = folder / "shot.png"
    screenshot = run_chromium(
        binary, folder / "profile", f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", page.as_uri()
    )
    return report, dom, screenshot, shot


def test_chromium_dom_has_the_tables_and_charts(rendered):
    report, dom, _, _ = rendered
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = Page(dom.stdout)
    # compliance, response times, satisfaction, per dimension (the default standard names them),
    # rules, breaches
    assert len(page.root.find_all("table")) == 6
    assert [svg.attrs.get("id") for svg in page.root.find_all("svg")] == [
        "chart-compliance",
        "chart-sla",
        "chart-first-reply",
    ]
    assert len(page.root.by_id("chart-compliance").find_all("g", "bar")) == len(report.rows)
    assert "2026-W47" in dom.stdout


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line) if channels == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
        previous = line
    return width, height, rows


def has_colour(rows: list[bytes], hex_colour: str) -> bool:
    wanted = bytes.fromhex(hex_colour.lstrip("#"))
    for line in rows[::4]:
        for x in range(0, len(line), 12):
            if all(abs(line[x + i] - wanted[i]) <= COLOUR_TOLERANCE for i in range(3)):
                return True
    return False


def test_chromium_screenshot_shows_the_page(rendered):
    _, _, screenshot, shot = rendered
    assert screenshot.returncode == 0, screenshot.stderr[-2000:]
    assert shot.stat().st_size > MIN_SCREENSHOT_BYTES
    width, height, rows = png_pixels(shot)
    assert (width, height) == WINDOW
    colours = {line[x : x + 3] for line in rows[::10] for x in range(0, len(line), 30)}
    assert len(colours) > 20, "the screenshot is (nearly) a single colour"
    assert has_colour(rows, BAR_COLOUR), "no compliance bar in the screenshot"
    assert has_colour(rows, HISTOGRAM_COLOUR), "no histogram bar in the screenshot"
