"""A real small model's recorded replies (`../shared/samples/llm/`), fed to the checks a run applies.

Qwen2.5-Coder-1.5B on llama-server put every item in every map theme, shifted its citations by one item,
appended invented sentences to verbatim ones and left most items unmentioned; SmolLM2-135M wrote item ids
until its context was full. These tests hold that each of those is caught: the content loss is counted and
every uncovered item listed, invented and misattributed sentences never pass as the model's, and a reply
cut off at `max_tokens` is not trusted. The end-to-end replay through a loopback server is in
test_llm_local_server.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from schemas.summary import Theme
from tonghop.settings import Settings
from tonghop.summarize.calls import CallResult
from tonghop.summarize.grounding import FLAG_UNCOVERED, FLAG_UNSUPPORTED, NumberEvidence, citation_key
from tonghop.summarize.llm import apply_map
from tonghop.summarize.offline import idf_of
from tonghop.summarize.reduce import apply_reduce
from tonghop.summarize.support import foreign_words, other_section_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import faithfulness_llm as recorded

pytestmark = pytest.mark.skipif(
    not (recorded.SAMPLES_LLM / "real-model-tuned.jsonl").exists(),
    reason=f"các phản hồi ghi lại của mô hình thật không có ở {recorded.SAMPLES_LLM}",
)


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


def reduce_records(name: str = "real-model-tuned.jsonl") -> list[dict[str, object]]:
    return [
        r
        for r in recorded.records(name)
        if recorded.kind_of(r["request"]) == "reduce" and recorded.reply_of(r) is not None
    ]


def checked(record: dict[str, object], settings: Settings) -> tuple[recorded.Call, list[Theme]]:
    call = recorded.recorded_reduce_call(record)
    reply = recorded.reply_of(record)
    statements = list(call.items.values())
    themes = apply_reduce(
        call, CallResult(reply=reply), NumberEvidence(), idf_of(statements), set(), settings
    )
    return call, themes


def test_content_loss_is_counted_and_every_uncovered_item_is_listed(settings: Settings) -> None:
    items = covered = 0
    for record in reduce_records():
        call, themes = checked(record, settings)
        written = {
            citation_key(c) for t in themes for s in t.sentences if s.origin == "llm" for c in s.citations
        }
        listed = {
            citation_key(c)
            for t in themes
            for s in t.sentences
            if s.origin == "extracted" and {FLAG_UNCOVERED, FLAG_UNSUPPORTED} & set(s.flags)
            for c in s.citations
        }
        every = {citation_key(s.citation) for s in call.items.values()}
        assert every <= written | listed, "an item neither summarized nor listed"
        assert not (written & {k for k in listed if k not in written})
        items += len(every)
        covered += len(written)
    # The first results call showed 8 items and the model wrote about 1 of them with a true citation: the
    # run used to count the whole 35-item group as covered.
    first_call, first = checked(reduce_records()[0], settings)
    first_written = {
        citation_key(c) for t in first for s in t.sentences if s.origin == "llm" for c in s.citations
    }
    assert len(first_written) < len(first_call.items) // 2
    assert 0 < covered < items


def test_invented_and_misattributed_sentences_are_never_printed_as_the_models(settings: Settings) -> None:
    for name in ("real-model-tuned.jsonl", "real-model-ctx2048.jsonl"):
        for record in reduce_records(name):
            call, themes = checked(record, settings)
            printed = [s for t in themes for s in t.sentences if s.origin == "llm"]
            for sentence in printed:
                assert "nâng cao năng lực của nhân viên" not in sentence.text
                assert "hiểu rõ về cách sử dụng" not in sentence.text
            replaced = [s for t in themes for s in t.sentences if FLAG_UNSUPPORTED in s.flags]
            # A quoted replacement cites the statement it quotes, not the model's citations.
            assert all(len(s.citations) == 1 and s.citations[0].text == s.text for s in replaced)
            reply = recorded.reply_of(record)
            assert reply is not None
            for t, theme in enumerate(reply["themes"]):
                for n, sentence in enumerate(theme["sentences"]):
                    label = recorded.LABELS.get((name, int(record["seq"]), t, n))  # type: ignore[call-overload]
                    if label is not None:
                        assert recorded.sentence_accepted(call, sentence, settings) is label, sentence["text"]


def test_a_sentence_cited_to_the_wrong_commune_keeps_only_the_citation_that_backs_it(
    settings: Settings,
) -> None:
    call, themes = checked(reduce_records()[0], settings)
    # "Có 35/60 … UBND huyện …" was cited to y1 (its source, Thanh Chương) and y2 (another statement).
    sentence = next(s for t in themes for s in t.sentences if s.text.startswith("Có 35/60"))
    assert sentence.origin == "llm"
    assert [c.text for c in sentence.citations] == [call.items["y1"].text]


def test_hand_labelled_pairs_and_the_labelled_replies_reach_full_precision_and_recall(
    settings: Settings,
) -> None:
    tp, fp, fn, _ = recorded.check_pairs(settings)
    assert (fp, fn) == (0, 0) and tp == sum(not label for _, _, label in recorded.PAIRS)
    figures = recorded.check_recorded(settings)
    assert figures.labelled == len(recorded.LABELS)
    assert figures.precision == 1.0 and figures.recall == 1.0


def test_a_map_reply_with_every_item_in_every_theme_groups_nothing(settings: Settings) -> None:
    for record in recorded.records("real-model-tuned.jsonl"):
        reply = recorded.reply_of(record)
        if recorded.kind_of(record["request"]) != "map" or reply is None:
            continue
        call = recorded.recorded_map_call(record)
        drafts = apply_map(call, CallResult(reply=reply), settings)
        assert sorted(s.key for d in drafts for s in d.statements) == sorted(
            s.key for s in call.items.values()
        )
        for draft in drafts:
            assert len({s.section for s in draft.statements}) == 1
            assert not foreign_words(draft.title, [s.text for s in draft.statements])
            assert draft.title != "Tăng cường ứng dụng AI trong công việc" or all(
                "tăng cường" in s.text.lower() for s in draft.statements
            )


def test_half_english_titles_are_caught() -> None:
    assert foreign_words("Challenges của việc sử dụng AI") == ["challenges"]
    assert foreign_words("Ứng dụng ChatGPT, Zalo trong soạn thảo văn bản") == []
    assert foreign_words("Dùng Copilot Studio", ["Thử Copilot Studio tại xã"]) == []


def test_a_title_of_another_section_is_caught() -> None:
    funding = "Chưa có kinh phí để mua tài khoản AI bản quyền, chủ yếu sử dụng bản miễn phí có giới hạn."
    assert other_section_words("Đề xuất hỗ trợ kinh phí mua tài khoản AI", "difficulties", [funding]) == [
        "de xuat"
    ]
    assert other_section_words("Kinh phí mua tài khoản AI", "difficulties", [funding]) == []
    assert (
        other_section_words("Đề nghị hỗ trợ kinh phí", "proposals", ["Đề nghị tỉnh hỗ trợ kinh phí."]) == []
    )
