"""review.html: self-contained, everything a commune wrote escaped, every statement with its sources."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from render_fixtures import FORMULA, SCRIPT, make_reports, make_summary

from schemas.summary import ProvincialSummary
from tonghop.render.review_html import (
    TEMPLATE_NAME,
    _environment,
    json_for_script,
    review_context,
    script_hash,
    split_numbers,
    write_review_html,
)
from tonghop.render.view import Round

BREAKOUT = "</script><script>alert(1)</script><!--"


class Page(HTMLParser):
    """The parts of the page the tests look at, as the browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._buffer: list[str] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self.by_class: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self._buffer = []
        if tag not in ("meta", "input", "br", "link", "img"):
            self._stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buffer.append(data)
            return
        self.text.append(data)
        for _, attributes in self._stack:
            for name in (attributes.get("class") or "").split():
                self.by_class.setdefault(name, []).append(data)


@pytest.fixture
def summary() -> ProvincialSummary:
    summary = make_summary()
    theme = summary.sections["causes"][0]
    hostile = theme.sentences[0].model_copy(
        update={"id": "causes-1-2", "text": f"{BREAKOUT} dòng\u2028mới & <b>đậm</b>"}
    )
    summary.sections["causes"][0] = theme.model_copy(update={"sentences": [*theme.sentences, hostile]})
    return summary


@pytest.fixture
def page_html(tmp_path: Path, make_settings: Callable[..., Any], summary: ProvincialSummary) -> str:
    path = write_review_html(Round.build(make_settings(), make_reports(), summary), tmp_path / "review.html")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def page(page_html: str) -> Page:
    parser = Page()
    parser.feed(page_html)
    parser.close()
    return parser


def _data(page: Page) -> dict[str, Any]:
    block = next(body for attrs, body in page.scripts if attrs.get("id") == "tonghop-data")
    return dict(json.loads(block))


def test_page_is_self_contained(page: Page, page_html: str) -> None:
    for tag, attributes in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img"), tag
        for name in ("src", "href", "action"):
            assert not attributes.get(name), (tag, attributes)
    assert "http://" not in page_html and "https://" not in page_html
    assert len(page.scripts) == 2  # the data block and the page's own code, nothing smuggled in


def test_content_security_policy_allows_only_the_pages_own_script(page: Page) -> None:
    csp = next(
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp
    code = next(body for attrs, body in page.scripts if not attrs.get("type"))
    assert f"'{script_hash(code)}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_document_text_is_escaped_everywhere(page: Page, page_html: str, summary: ProvincialSummary) -> None:
    assert "<script>alert" not in page_html
    assert "<b>đậm</b>" not in page_html
    assert "&lt;script&gt;alert(&#39;xã&#39;)&lt;/script&gt;" in page_html
    text = "".join(page.text)
    assert SCRIPT in text and FORMULA in text
    assert f"{BREAKOUT} dòng\u2028mới & <b>đậm</b>" in text
    data = _data(page)
    texts = {s["id"]: s["text"] for s in data["sentences"]}
    assert texts == {s.id: s.text for s in summary.all_sentences()}
    raw_block = page_html.split('id="tonghop-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw_block and "\u2028" not in raw_block


def test_coverage_at_a_glance(page: Page) -> None:
    cards = " ".join(" ".join(v) for k, v in page.by_class.items() if k == "card")
    assert re.search(r"Phải báo cáo\s*11", cards)
    assert re.search(r"Hợp lệ, đã tổng hợp\s*6", cards)
    assert re.search(r"Đúng hạn / chậm \(hạn 15/6/2026\)\s*6 / 1", cards)
    assert "Xã Yên Thành" in "".join(page.text)


def test_each_statement_shows_origin_sources_and_unverified_numbers(page: Page, page_html: str) -> None:
    statements = [a for t, a in page.tags if t == "li" and "stmt" in (a.get("class") or "")]
    assert len(statements) == 14
    unverified = [a["data-id"] for a in statements if a.get("data-unverified") == "true"]
    assert unverified == ["results-1-3", "results-3-3"]
    assert sum(1 for a in statements if a.get("data-origin") == "llm") == 3
    assert page.by_class["llm"].count("AI viết") >= 3
    assert "<mark>80%</mark>" in page_html
    assert "<mark>7</mark> lớp tập huấn cho <mark>120</mark>" in page_html
    sources = [s for s in page.by_class.get("citation", []) if "—" in s]
    assert "Phường Cửa Lò — phường-cửa-lò-bao-cao-ai.docx, đoạn 11" in sources
    quotes = "".join(page.by_class.get("citation", []))
    assert "Ứng dụng AI soạn thảo văn bản, rút ngắn thời gian xử lý từ 4 giờ xuống còn 1,5 giờ" in quotes


def test_communes_and_rejected_files_with_reasons_and_warnings(page: Page) -> None:
    warnings = page.by_class["warning"]
    assert any(w.endswith("không nêu số liệu.") for w in warnings)
    rejected_rows = [a for t, a in page.tags if t == "tr" and a.get("class") == "rejected"]
    assert len(rejected_rows) >= 4  # two rejected files, a duplicate, an out-of-scope file, Con Cuông's row
    text = "".join(page.text)
    assert "Chưa gửi báo cáo" in text
    assert "là tệp Word cũ (.doc)" in text


def test_decision_controls_exist_for_every_statement(page: Page, page_html: str) -> None:
    actions = [a.get("data-action") for t, a in page.tags if t == "button" and a.get("data-action")]
    for action in ("accept", "edit", "reject", "save", "undo"):
        assert actions.count(action) == 14
    ids = {a.get("id") for _, a in page.tags}
    assert {"download", "reviewer", "clear", "only-unverified", "only-llm"} <= ids


@pytest.mark.parametrize(
    ("text", "numbers", "marked"),
    [
        ("Tổ chức 7 lớp cho 120 người", ["7", "120"], ["7", "120"]),
        ("Từ 4 giờ xuống 1,5 giờ, 17 xã", ["5", "7"], []),
        ("Khoảng 80% văn bản", ["80%"], ["80%"]),
        ("Không có số", [], []),
    ],
)
def test_split_numbers_marks_whole_numbers_only(text: str, numbers: list[str], marked: list[str]) -> None:
    parts = split_numbers(text, numbers)
    assert "".join(p for p, _ in parts) == text
    assert [p for p, is_number in parts if is_number] == marked


HOSTILE = (
    "<script>alert(\"xã\")</script><img src=x onerror='alert(1)'> {{ 7 * 7 }} {% raw %} &amp; <b>đậm</b>"
)


def test_hostile_text_is_shown_as_text_wherever_the_page_shows_a_commune_s_words(
    tmp_path: Path, make_settings: Callable[..., Any]
) -> None:
    """Quotes, tags, Jinja delimiters and an entity typed by a commune, in every field the page shows."""
    reports = make_reports()
    for i, report in enumerate(reports):
        if report.warnings:
            warning = report.warnings[0].model_copy(update={"message": f"cảnh báo {HOSTILE}"})
            reports[i] = report.model_copy(update={"warnings": [warning]})
    summary = make_summary(reports)
    theme = summary.sections["results"][0]
    sentence = theme.sentences[2]  # unverified "80%": the text is cut around the number it marks
    citation = sentence.citations[0]
    hostile_citation = citation.model_copy(
        update={
            "unit_name": f"xã {HOSTILE}",
            "file": f"tệp {HOSTILE}.docx",
            "text": f"trích {HOSTILE}",
            "source": citation.source.model_copy(update={"path": None}),
        }
    )
    hostile_sentence = sentence.model_copy(
        update={
            "text": f"80% {HOSTILE} 80%",
            "flags": [f"cờ {HOSTILE}"],
            "citations": [hostile_citation],
        }
    )
    units = [u.model_copy(update={"name": f"đơn vị {HOSTILE}"}) for u in theme.units]
    summary.sections["results"][0] = theme.model_copy(
        update={
            "title": f"chủ đề {HOSTILE}",
            "province": f"tỉnh {HOSTILE}",
            "units": units,
            "sentences": [*theme.sentences[:2], hostile_sentence],
        }
    )
    round = Round.build(make_settings(), reports, summary)
    html = write_review_html(round, tmp_path / "review.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    page.close()

    text = "".join(page.text)
    for shown in ("cảnh báo", "chủ đề", "tỉnh", "đơn vị", "cờ", "trích"):
        assert f"{shown} {HOSTILE}" in text, shown
    assert f"xã {HOSTILE} — tệp {HOSTILE}.docx" in text
    assert f"80% {HOSTILE} 80%" in text
    assert [t for t, _ in page.tags].count("img") == 0
    assert len(page.scripts) == 2
    assert "<b>đậm</b>" not in html
    assert "&amp;amp;" in html  # the entity a commune typed is shown as typed, not decoded once
    marked = [t for t, a in page.tags if t == "mark"]
    assert len(marked) >= 2  # the template's own markup around the numbers still renders as markup


def test_json_for_script_cannot_close_the_element() -> None:
    encoded = str(json_for_script({"a": "</script><!-- \u2028 & >"}))
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == {"a": "</script><!-- \u2028 & >"}


def test_the_page_is_written_as_rendered_and_only_once_complete(
    tmp_path: Path,
    make_settings: Callable[..., Any],
    summary: ProvincialSummary,
    page_html: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page is streamed to disk as Jinja generates it; a failure halfway keeps the previous page."""
    settings = make_settings()
    env = _environment(str(Path(settings.templates_dir)))
    whole = env.get_template(TEMPLATE_NAME).render(
        review_context(Round.build(settings, make_reports(), summary))
    )
    assert page_html == whole

    def broken(text: str, numbers: list[str]) -> list[tuple[str, bool]]:
        raise RuntimeError("hỏng giữa trang")

    monkeypatch.setitem(env.filters, "split_numbers", broken)
    target = tmp_path / "review.html"
    with pytest.raises(RuntimeError, match="hỏng giữa trang"):
        write_review_html(Round.build(settings, make_reports(), summary), target)
    assert target.read_text(encoding="utf-8") == whole
    assert [p.name for p in tmp_path.iterdir() if "review" in p.name] == ["review.html"]
