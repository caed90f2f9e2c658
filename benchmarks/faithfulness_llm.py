"""Faithfulness of the LLM path: items covered, statements supported and flags, for a real model's recorded
replies (`../shared/samples/llm/`) and for the test server's model.

The recorded replies are fed to the same checks a run applies (reduce.apply_reduce, llm.apply_map): each
recorded reduce request is turned back into a call whose items are the items it showed, and the recorded
reply is checked against them. Sentences of those replies are hand-labelled below (supported or not by the
items they cite), so the support check's precision and recall can be measured, at the configured thresholds
and over a sweep. `faithfulness()` returns the figures; running the module prints them.

    .venv/bin/python benchmarks/faithfulness_llm.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from schemas.report import Source  # noqa: E402
from schemas.summary import Citation, Theme, UnitRef  # noqa: E402
from tonghop.settings import Settings  # noqa: E402
from tonghop.summarize.calls import (  # noqa: E402
    Call,
    CallResult,
    Draft,
    supported_text,
)
from tonghop.summarize.grounding import NumberEvidence, citation_key  # noqa: E402
from tonghop.summarize.llm import apply_map  # noqa: E402
from tonghop.summarize.offline import Statement, idf_of  # noqa: E402
from tonghop.summarize.privacy import Redactor  # noqa: E402
from tonghop.summarize.prompts import DATA_END, DATA_START, LlmRequest  # noqa: E402
from tonghop.summarize.reduce import Group, apply_reduce, supporting  # noqa: E402

SAMPLES_LLM = REPO.parent / "shared" / "samples" / "llm"
RECORDINGS = ("real-model-tuned.jsonl", "real-model-ctx2048.jsonl", "real-model-runaway.jsonl")

# Hand labels of the recorded reduce sentences: (file, seq, theme, sentence) -> does the text rest on the
# items it cites? Read against the request's items: False for a sentence cited to another item than the one it
# copies (the model shifted its citations by one) and for a verbatim sentence with an invented one appended.
LABELS: dict[tuple[str, int, int, int], bool] = {
    ("real-model-tuned.jsonl", 6, 0, 0): True,  # 35/60 … cited to y1 (its source) and y2
    ("real-model-tuned.jsonl", 6, 0, 1): False,  # soạn thảo văn bản… cited to y3 (tra cứu) and y4 (Cửa Lò)
    ("real-model-tuned.jsonl", 6, 0, 2): False,  # tra cứu… cited to y5, y6
    ("real-model-tuned.jsonl", 6, 0, 3): False,  # 100% … tiếp cận… cited to y7, y8
    ("real-model-tuned.jsonl", 7, 0, 0): True,
    ("real-model-tuned.jsonl", 7, 0, 1): True,
    ("real-model-tuned.jsonl", 8, 0, 0): True,
    ("real-model-tuned.jsonl", 8, 0, 1): True,
    ("real-model-tuned.jsonl", 9, 0, 0): True,
    ("real-model-tuned.jsonl", 9, 0, 1): True,
    ("real-model-tuned.jsonl", 9, 0, 2): True,
    ("real-model-tuned.jsonl", 10, 0, 0): False,  # + "…nâng cao năng lực của nhân viên." invented
    ("real-model-tuned.jsonl", 10, 0, 1): False,  # + "Các lớp tập huấn sẽ giúp…" invented
    ("real-model-tuned.jsonl", 10, 0, 2): False,  # + "Các xã, phường cần hiểu rõ…" invented
    ("real-model-ctx2048.jsonl", 9, 0, 0): True,
    ("real-model-ctx2048.jsonl", 9, 0, 1): True,
    ("real-model-ctx2048.jsonl", 10, 0, 0): False,  # its 2nd sentence is group n2's, which it does not cite
    ("real-model-ctx2048.jsonl", 11, 0, 0): True,
    ("real-model-ctx2048.jsonl", 11, 0, 1): True,
}

# Hand-labelled pairs written for the check (sentence, cited texts, supported?): paraphrases a good model
# writes, and the failures the issue names.
_TRAINING = "Có 28/36 cán bộ, công chức (đạt 77,8%) đã sử dụng AI; UBND xã đã tổ chức 02 lớp tập huấn."
_DRAFTING = "Cán bộ, công chức đã sử dụng AI hỗ trợ soạn thảo văn bản hành chính, xây dựng báo cáo, kế hoạch."
_FUNDING = "Chưa có kinh phí để mua tài khoản AI bản quyền, chủ yếu sử dụng bản miễn phí có giới hạn."
_SECURITY = "Lo ngại về an toàn thông tin, bảo mật dữ liệu khi đưa nội dung công việc lên nền tảng AI."
PAIRS: list[tuple[str, list[str], bool]] = [
    ("Các xã đã tổ chức 02 lớp tập huấn về AI cho cán bộ, công chức.", [_TRAINING], True),
    ("Xã có 28/36 cán bộ, công chức (77,8%) sử dụng AI và mở 2 lớp tập huấn.", [_TRAINING], True),
    ("Cán bộ, công chức sử dụng AI để soạn thảo văn bản, báo cáo và kế hoạch.", [_DRAFTING, _DRAFTING], True),
    ("Nhiều xã chưa có kinh phí mua tài khoản AI bản quyền.", [_FUNDING], True),
    ("Các xã lo ngại về bảo mật dữ liệu khi đưa nội dung công việc lên nền tảng AI.", [_SECURITY], True),
    ("Chưa có kinh phí mua tài khoản AI bản quyền; lo ngại về bảo mật dữ liệu.", [_FUNDING, _SECURITY], True),
    (_DRAFTING + " Các lớp tập huấn sẽ giúp nâng cao năng lực của nhân viên.", [_DRAFTING], False),
    (_DRAFTING, [_FUNDING], False),  # cited to the wrong item
    ("Tăng cường ứng dụng AI trong công việc.", [_FUNDING, _SECURITY], False),
    ("Các xã đề nghị tỉnh cấp máy tính mới cho cán bộ.", [_FUNDING], False),
    ("Challenges của việc sử dụng AI", [_FUNDING, _SECURITY], False),
    ("Nhân viên các xã đã sử dụng AI thành thạo trong mọi công việc.", [_DRAFTING], False),
]


def records(name: str) -> list[dict[str, Any]]:
    path = SAMPLES_LLM / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def payload_of(request: dict[str, Any]) -> dict[str, Any]:
    for message in request["messages"]:
        content = message.get("content") or ""
        if message.get("role") == "user" and content.startswith(DATA_START):
            return dict(json.loads(content.split(DATA_START, 1)[1].split(DATA_END, 1)[0]))
    raise ValueError("no data block")


def kind_of(request: dict[str, Any]) -> str:
    return str(request["response_format"]["json_schema"]["name"]).removeprefix("tonghop_")


def reply_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """The recorded reply as data, when the call answered in full."""
    response = record["response"]
    if record["status"] != 200 or not response.get("choices"):
        return None
    choice = response["choices"][0]
    if choice.get("finish_reason") != "stop":
        return None
    return dict(json.loads(choice["message"]["content"]))


def _statement(item_id: str, commune: str, text: str, section: str, position: int) -> Statement:
    file = f"{commune}.docx"
    citation = Citation(
        unit_code=None,
        unit_name=commune,
        file=file,
        sha256=f"recorded-{commune}",
        section=section,
        item_index=position,
        source=Source(file=file, paragraph=position),
        text=text,
    )
    return Statement(
        key=f"{commune}|{section}|{position}|{item_id}",
        section=section,
        province=None,
        unit=UnitRef(code=None, name=commune),
        citation=citation,
    )


def recorded_reduce_call(record: dict[str, Any]) -> Call:
    """The call a recorded reduce request was: its groups and the items it showed, under their ids."""
    request = record["request"]
    payload = payload_of(request)
    section = payload["section"]
    items: dict[str, Statement] = {}
    groups: dict[str, Group] = {}
    for group in payload["groups"]:
        members = []
        for item in group["items"]:
            statement = _statement(item["id"], item["commune"], item["text"], section, len(items))
            items[item["id"]] = statement
            members.append(statement)
        groups[group["id"]] = Group([Draft(group["title"], members)])
    llm_request = LlmRequest(kind="reduce", model="recorded", temperature=0.0, messages=request["messages"])
    return Call(request=llm_request, redactor=Redactor(), items=items, groups=groups, section=section)


def recorded_map_call(record: dict[str, Any]) -> Call:
    request = record["request"]
    items = {
        item["id"]: _statement(item["id"], "Xã ghi âm", item["text"], item["section"], n)
        for n, item in enumerate(payload_of(request)["items"])
    }
    llm_request = LlmRequest(kind="map", model="recorded", temperature=0.0, messages=request["messages"])
    return Call(request=llm_request, redactor=Redactor(), items=items)


@dataclass
class Figures:
    """What the checks made of one set of replies."""

    items: int = 0
    covered: int = 0
    statements: int = 0
    supported: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    labelled: int = 0
    true_positive: int = 0  # unsupported sentences flagged
    false_positive: int = 0  # supported sentences flagged
    false_negative: int = 0  # unsupported sentences printed as the model's
    map_items: int = 0
    map_items_grouped: int = 0  # items a map theme kept (its title speaks of them)

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        unsupported = self.true_positive + self.false_negative
        return self.true_positive / unsupported if unsupported else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "covered": self.covered,
            "statements": self.statements,
            "supported": self.supported,
            "flags": dict(self.flags),
            "labelled": self.labelled,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "map_items": self.map_items,
            "map_items_grouped": self.map_items_grouped,
        }


def _count_themes(figures: Figures, themes: list[Theme], call: Call) -> None:
    figures.items += len(call.items)
    covered: set[tuple[str, str, str, int]] = set()
    for theme in themes:
        for sentence in theme.sentences:
            figures.flags.update(sentence.flags)
            if sentence.origin == "llm":
                figures.statements += 1
                figures.supported += 1
                covered.update(citation_key(c) for c in sentence.citations)
            elif sentence.flags and "unsupported_replaced" in sentence.flags:
                figures.statements += 1
    figures.covered += len(covered)


def check_recorded(settings: Settings, names: tuple[str, ...] = RECORDINGS) -> Figures:
    """The recorded replies through the run's checks; labelled sentences scored one by one."""
    figures = Figures()
    for name in names:
        if not (SAMPLES_LLM / name).exists():
            continue
        for record in records(name):
            reply = reply_of(record)
            if reply is None:
                continue
            if kind_of(record["request"]) == "map":
                call = recorded_map_call(record)
                drafts = apply_map(call, CallResult(reply=reply), settings)
                figures.map_items += len(call.items)
                figures.map_items_grouped += sum(len(d.statements) for d in drafts if len(d.statements) > 1)
                continue
            call = recorded_reduce_call(record)
            statements = list(call.items.values())
            themes = apply_reduce(
                call, CallResult(reply=reply), NumberEvidence(), idf_of(statements), set(), settings
            )
            _count_themes(figures, themes, call)
            for t, theme in enumerate(reply["themes"]):
                for s, sentence in enumerate(theme["sentences"]):
                    label = LABELS.get((name, record["seq"], t, s))
                    if label is None:
                        continue
                    accepted = sentence_accepted(call, sentence, settings)
                    figures.labelled += 1
                    figures.true_positive += (not label) and not accepted
                    figures.false_positive += label and not accepted
                    figures.false_negative += (not label) and accepted
    return figures


def check_pairs(settings: Settings) -> tuple[int, int, int, int]:
    """(true positives, false positives, false negatives, pairs) of the unsupported flag on `PAIRS`."""
    tp = fp = fn = 0
    for n, (text, sources, label) in enumerate(PAIRS):
        cited = [
            _statement(f"p{n}-{i}", f"Xã Thử {i}", source, "results", i) for i, source in enumerate(sources)
        ]
        backing = supporting(text, cited, settings.llm.citation_support)
        accepted = bool(backing) and supported_text(text, backing, settings)
        tp += (not label) and not accepted
        fp += label and not accepted
        fn += (not label) and accepted
    return tp, fp, fn, len(PAIRS)


def sentence_accepted(call: Call, sentence: dict[str, Any], settings: Settings) -> bool:
    """Whether the run prints this recorded sentence as the model's, with at least one citation."""
    cited: dict[str, Statement] = {}
    for source in sentence["source_ids"]:
        if source in call.items:
            cited.setdefault(call.items[source].key, call.items[source])
        elif source in call.groups:
            cited.update((s.key, s) for s in call.groups[source].statements)
    backing = supporting(sentence["text"], list(cited.values()), settings.llm.citation_support)
    return bool(backing) and supported_text(sentence["text"], backing, settings)


def sweep(
    settings: Settings,
    shares: tuple[float, ...] = (0.5, 0.7, 0.85, 1.0),
    citations: tuple[float, ...] = (0.3, 0.5, 0.75, 0.9),
) -> list[dict[str, Any]]:
    """Precision and recall of the unsupported flag on labelled sentences and pairs, per threshold pair."""
    rows = []
    for share in shares:
        for citation in citations:
            update = {"sentence_support": share, "citation_support": citation}
            tuned = settings.model_copy(update={"llm": settings.llm.model_copy(update=update)})
            figures = check_recorded(tuned)
            tp, fp, fn, _ = check_pairs(tuned)
            figures.true_positive += tp
            figures.false_positive += fp
            figures.false_negative += fn
            rows.append(
                {
                    **update,
                    "precision": round(figures.precision, 3),
                    "recall": round(figures.recall, 3),
                    "covered": figures.covered,
                }
            )
    return rows


def check_test_server(settings: Settings) -> Figures:
    """The test server's model (tests/openai_server.py) on the Nghệ An reports, calls made in process."""
    from commune_reports import nghe_an_reports
    from openai_server import OpenAIServer

    from tonghop.summarize.client import Meter, complete, make_client
    from tonghop.summarize.llm import summarize_with_llm

    figures = Figures()
    with OpenAIServer() as server:
        tuned = settings.model_copy(
            update={"llm": settings.llm.model_copy(update={"base_url": server.base_url, "model": "thu"})}
        )
        client = make_client(server.base_url, None, 30.0)
        meter = Meter()

        def execute(requests: Any) -> list[CallResult]:
            return [CallResult(reply=complete(client, r, meter)["reply"]) for r in requests]

        outcome = summarize_with_llm(nghe_an_reports(), tuned, execute)
        client.close()
    assert outcome.coverage is not None
    figures.items, figures.covered = outcome.coverage.items, outcome.coverage.covered
    for themes in outcome.sections.values():
        for theme in themes:
            for sentence in theme.sentences:
                figures.flags.update(sentence.flags)
                figures.statements += 1
                figures.supported += sentence.origin == "llm"
    return figures


def faithfulness(settings: Settings | None = None) -> dict[str, Any]:
    """Items covered, statements supported and flags, for the recorded replies and the test server."""
    settings = settings or Settings()
    result: dict[str, Any] = {"test_server": check_test_server(settings).as_dict()}
    tp, fp, fn, pairs = check_pairs(settings)
    result["pairs"] = {"pairs": pairs, "true_positive": tp, "false_positive": fp, "false_negative": fn}
    if SAMPLES_LLM.exists():
        result["recorded"] = check_recorded(settings).as_dict()
        result["sweep"] = sweep(settings)
    else:
        result["recorded"] = f"không có {SAMPLES_LLM}"
    return result


if __name__ == "__main__":
    print(json.dumps(faithfulness(), ensure_ascii=False, indent=1))
