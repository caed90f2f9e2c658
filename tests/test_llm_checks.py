"""The checks on a model's text that need no server and no recorded replies: support per clause and per
citation, attribution of figures, Vietnamese spelling."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tonghop.settings import Settings
from tonghop.summarize.grounding import FLAG_FIGURES_DIFFER
from tonghop.summarize.reduce import attribution_flags, supporting
from tonghop.summarize.support import clauses, off_register, sentence_supported, unsupported_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import faithfulness_llm as bench

DRAFTING = "Cán bộ, công chức đã sử dụng AI hỗ trợ soạn thảo văn bản hành chính, xây dựng báo cáo, kế hoạch."
FUNDING = "Chưa có kinh phí để mua tài khoản AI bản quyền, chủ yếu sử dụng bản miễn phí có giới hạn."


def test_an_invented_sentence_appended_to_a_verbatim_one_is_unsupported() -> None:
    text = DRAFTING + " Các lớp tập huấn sẽ giúp nâng cao năng lực của nhân viên."
    assert len(clauses(text)) == 2
    assert not sentence_supported(text, [DRAFTING], threshold=0.85)
    assert sentence_supported(DRAFTING, [DRAFTING], threshold=0.85)
    assert {"giup", "nang", "vien"} <= set(unsupported_words(text, [DRAFTING]))


def test_only_the_citations_that_back_a_sentence_stay() -> None:
    right = bench._statement("y1", "Xã Diễn Châu", DRAFTING, "results", 0)
    wrong = bench._statement("y2", "Xã Nam Đàn", FUNDING, "results", 1)
    assert supporting(DRAFTING, [right, wrong], 0.75) == [right]
    assert supporting(DRAFTING, [wrong], 0.75) == []


def test_figures_of_one_commune_cited_for_several_are_flagged() -> None:
    dien_chau = bench._statement("y1", "Xã Diễn Châu", "Có 28/36 cán bộ đã sử dụng AI.", "results", 0)
    nam_dan = bench._statement("y2", "Xã Nam Đàn", "Có 30/41 cán bộ đã sử dụng AI.", "results", 1)
    assert attribution_flags("Có 28/36 cán bộ đã sử dụng AI.", [dien_chau, nam_dan]) == [FLAG_FIGURES_DIFFER]
    assert attribution_flags("Có 28/36 cán bộ đã sử dụng AI.", [dien_chau]) == []


def test_the_hand_labelled_pairs_are_all_classified_right(make_settings: Callable[..., Settings]) -> None:
    tp, fp, fn, pairs = bench.check_pairs(make_settings())
    assert (fp, fn) == (0, 0) and tp == sum(not label for _, _, label in bench.PAIRS) and pairs >= 10


def test_a_word_outside_the_register_of_a_report_is_caught() -> None:
    sources = ["Tổ chức tập huấn cho cán bộ, công chức, viên chức."]
    assert off_register("Tổ chức tập huấn cho nhân viên.", sources) == ["nhân viên"]
    assert off_register("Tổ chức tập huấn cho cán bộ, công chức.", sources) == []
    assert (
        off_register("Tập huấn cho nhân viên bộ phận một cửa.", ["Tập huấn cho nhân viên bộ phận một cửa."])
        == []
    )
