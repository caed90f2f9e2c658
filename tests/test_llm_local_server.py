"""The LLM path against the kind of server an office runs: one slot, a small context, a weak or slow model.

End to end through Prefect and a real HTTP server on 127.0.0.1 (tests/openai_server.py) that behaves like
llama-server where it matters: one request at a time (the others queue), a context size it reports at
`/props` and enforces with a 400, replies cut off at `max_tokens`, its own error text. The recorded replies
of a real small model are replayed through it (skipped when `../shared/samples/llm/` is absent).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from commune_reports import nghe_an_reports
from openai_server import Behaviour, OpenAIServer, Reply, data_payload, echo_reply, prompt_tokens, schema_name
from test_llm_summary import lost_to_failures, run

from schemas.summary import Theme
from tonghop.settings import Settings
from tonghop.summarize.grounding import (
    FLAG_LLM_FALLBACK,
    FLAG_MISATTRIBUTED,
    FLAG_UNCOVERED,
    FLAG_UNSUPPORTED,
    citation_key,
)
from tonghop.summarize.statements import statements_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import faithfulness_llm as recorded

pytestmark = pytest.mark.slow

Sections = dict[str, list[Theme]]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture
def local(make_settings: Callable[..., Settings], server: OpenAIServer) -> Callable[..., Settings]:
    """Settings for the loopback server as an office would write them: an address and a model, nothing else
    (short retry pauses only, so the tests do not wait)."""
    model = f"thu-{uuid.uuid4().hex[:8]}"

    def factory(**llm: Any) -> Settings:
        values = {"base_url": server.base_url, "model": model, "retry_backoff_seconds": 0.01, **llm}
        return make_settings(llm=values)

    return factory


def every_item_once(sections: Sections) -> set[tuple[str, str, str, int]]:
    return {
        citation_key(c)
        for themes in sections.values()
        for t in themes
        for s in t.sentences
        for c in s.citations
    }


def item_keys() -> set[tuple[str, str, str, int]]:
    return {citation_key(s.citation) for s in statements_of(nghe_an_reports(), national=False)}


def recorded_content(name: str, finish: str) -> str | None:
    """The content of the first recorded reply of `name` that ended with `finish`, when the samples exist."""
    if not (recorded.SAMPLES_LLM / name).exists():
        return None
    for row in recorded.records(name):
        for choice in row["response"].get("choices", []):
            if choice.get("finish_reason") == finish:
                return str(choice["message"]["content"])
    return None


def ids_in(body: dict[str, Any]) -> int:
    payload = data_payload(body)
    if "items" in payload:
        return len(payload["items"])
    return sum(len(g["items"]) for g in payload["groups"])


def test_a_reply_cut_off_at_max_tokens_is_split_and_asked_again_never_resent(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    cut_off = recorded_content("real-model-ctx2048.jsonl", "length")

    def responder(body: dict[str, Any]) -> Any:
        reply = json.dumps(echo_reply(body), ensure_ascii=False)
        if ids_in(body) > 3:  # a small model's budget: more than three items and it stops mid-reply
            text = cut_off or reply[: len(reply) // 2]  # the real model's cut-off reply when recorded
            return Reply(text, finish_reason="length", completion_tokens=body["max_tokens"])
        return reply

    server.behaviour.responder = responder
    sections, stats = run(local(), nghe_an_reports())

    assert all(isinstance(r.get("max_tokens"), int) and r["max_tokens"] > 0 for r in server.requests)
    assert not any(m["role"] == "assistant" for r in server.requests for m in r["messages"])
    cut = [r for r in server.requests if ids_in(r) > 3]
    assert cut, "the test must cut some replies off"
    assert stats.mode == "llm" and lost_to_failures(sections) == 0
    assert every_item_once(sections) == item_keys()
    assert all(
        s.origin == "llm" or FLAG_MISATTRIBUTED in s.flags
        for themes in sections.values()
        for t in themes
        for s in t.sentences
    )


def test_a_runaway_reply_is_bounded_by_max_tokens(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    """SmolLM2-135M wrote "y1"…"y760" until the context was full (886 s); here it stops at max_tokens."""

    recorded_run = recorded_content("real-model-runaway.jsonl", "length")

    def runaway(body: dict[str, Any]) -> Reply:
        budget = int(body["max_tokens"])
        ids = ", ".join(f'"y{n}"' for n in range(1, budget // 3))
        text = recorded_run or '{"themes": [{"section": "results", "title": "Kết quả", "item_ids": [' + ids
        return Reply(text[: budget * 3], "length", budget)  # what the model wrote, up to max_tokens

    server.behaviour.responder = runaway
    settings = local()
    sections, stats = run(settings, nghe_an_reports())

    llm = settings.llm
    ceiling = llm.reply_tokens_base + (llm.map_tokens_per_item + 4) * llm.batch_max_items
    assert all(
        0
        < r["max_tokens"]
        <= max(
            ceiling,
            llm.reply_tokens_base
            + llm.reduce_tokens_per_group * llm.themes_per_reduce_call
            + 4 * llm.max_items_per_group * llm.themes_per_reduce_call,
        )
        for r in server.requests
    )
    assert stats.tokens_out == sum(r["max_tokens"] for r in server.requests)
    assert every_item_once(sections) == item_keys(), "nothing lost"
    assert stats.mode == "offline" and stats.fallbacks == len(item_keys())
    assert all(
        FLAG_LLM_FALLBACK in s.flags for themes in sections.values() for t in themes for s in t.sentences
    )
    assert any("chưa được tổng hợp" in note for note in stats.notes)


def test_prompts_are_sized_to_the_context_the_server_reports(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    server.behaviour.context = 1400
    sections, stats = run(local(batch_max_items=40, themes_per_reduce_call=10), nghe_an_reports())
    assert server.requests and all(prompt_tokens(r) + r["max_tokens"] <= 1400 for r in server.requests), (
        "a prompt beyond the context was sent"
    )
    assert lost_to_failures(sections) == 0 and every_item_once(sections) == item_keys()
    assert any("ngữ cảnh 1400 token" in note for note in stats.notes)


def test_a_context_overflow_the_server_does_not_announce_is_split_and_asked_again(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    server.behaviour.context = 1400
    server.behaviour.props = False
    sections, stats = run(local(), nghe_an_reports())
    too_long = [r for r in server.requests if prompt_tokens(r) > 1400]
    assert too_long, "the server must refuse some prompts"
    assert (
        stats.mode == "llm" and lost_to_failures(sections) == 0 and every_item_once(sections) == item_keys()
    )


def test_defaults_do_not_time_out_on_queueing_behind_one_slot(
    make_settings: Callable[..., Settings],
) -> None:
    """Each reply takes 0.4 s on a one-slot server and each request allows ~1 s: one at a time all pass,
    four at once (what a cloud default would send) time out while waiting for the slot."""
    speeds = {"prompt_tokens_per_second": 1e6, "tokens_per_second": 1e6, "timeout_margin_seconds": 1.0}
    outcomes = {}
    for concurrency in (None, 4):
        with OpenAIServer(Behaviour(latency=0.4, slots=1)) as one_slot:
            llm: dict[str, Any] = {
                "base_url": one_slot.base_url,
                "model": f"thu-{uuid.uuid4().hex[:8]}",
                "retry_backoff_seconds": 0.01,
                "max_retries": 0,
                **speeds,
            }
            if concurrency:
                llm["concurrency"] = concurrency
            sections, stats = run(make_settings(llm=llm), nghe_an_reports())
            outcomes[concurrency] = (stats, lost_to_failures(sections))
    default, lost = outcomes[None]
    assert default.failures == 0 and lost == 0 and default.mode == "llm"
    assert any("1 lượt cùng lúc" in n for n in default.notes)
    crowded, _ = outcomes[4]
    assert crowded.failures > 0
    assert any("llm.timeout_seconds" in n and "llm.concurrency" in n for n in crowded.notes)


def test_one_call_slower_than_the_timeout_does_not_stop_the_others(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    def responder(body: dict[str, Any]) -> Any:
        if schema_name(body) == "tonghop_reduce" and data_payload(body)["section"] == "causes":
            time.sleep(1.5)
        return echo_reply(body)

    server.behaviour.responder = responder
    sections, stats = run(local(timeout_seconds=0.5, max_retries=2), nghe_an_reports())
    assert stats.mode == "llm"
    assert all(FLAG_LLM_FALLBACK in s.flags for t in sections["causes"] for s in t.sentences)
    assert all(t.origin == "llm" for name in ("results", "proposals") for t in sections[name])
    assert not any("lỗi liên tiếp" in n for n in stats.notes)
    assert any("llm.timeout_seconds" in n for n in stats.notes)


def test_the_servers_own_error_text_is_shown_and_a_missing_json_schema_is_not_retried(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    server.behaviour.fail_every = 1
    server.behaviour.fail_status = 500
    server.behaviour.error_message = "Input should be 'text' or 'json_object'"
    sections, stats = run(local(max_retries=3), nghe_an_reports())
    assert stats.mode == "offline"
    assert server.count == stats.calls <= local().llm.breaker_failures
    assert any("json_schema" in n and "Input should be 'text' or 'json_object'" in n for n in stats.notes)
    assert every_item_once(sections) == item_keys()


def test_with_no_model_set_the_servers_only_model_is_used_and_said(
    make_settings: Callable[..., Settings],
) -> None:
    with OpenAIServer(Behaviour(models=["qwen2.5-1.5b-instruct"])) as one:
        _, stats = run(make_settings(llm={"base_url": one.base_url}), nghe_an_reports())
        assert stats.mode == "llm" and stats.model == "qwen2.5-1.5b-instruct"
        assert {r["model"] for r in one.requests} == {"qwen2.5-1.5b-instruct"}
    assert any("mô hình duy nhất" in n and "llm.model" in n for n in stats.notes)
    with OpenAIServer(Behaviour(models=["a-7b", "b-1.5b"])) as two:
        _, stats = run(make_settings(llm={"base_url": two.base_url}), nghe_an_reports())
        assert stats.mode == "offline" and two.count == 0
    assert any("a-7b" in n and "b-1.5b" in n and "llm.model" in n for n in stats.notes)


@pytest.mark.skipif(
    not (recorded.SAMPLES_LLM / "real-model-tuned.jsonl").exists(),
    reason=f"các phản hồi ghi lại của mô hình thật không có ở {recorded.SAMPLES_LLM}",
)
def test_the_recorded_small_model_replayed_loses_nothing_silently(
    local: Callable[..., Settings], server: OpenAIServer
) -> None:
    """The real model's answers, replayed as it gave them: every item in every map theme with its titles,
    and in reduce its sentences (verbatim, invented, appended) cited to the first items it was shown."""
    rows = recorded.records("real-model-tuned.jsonl")
    map_reply = next(recorded.reply_of(r) for r in rows if recorded.kind_of(r["request"]) == "map")
    by_section: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        reply = recorded.reply_of(row)
        if recorded.kind_of(row["request"]) == "reduce" and reply is not None:
            section = recorded.payload_of(row["request"])["section"]
            by_section.setdefault(section, []).extend(reply["themes"])
    assert map_reply is not None

    def replay(body: dict[str, Any]) -> dict[str, Any]:
        payload = data_payload(body)
        if schema_name(body) == "tonghop_map":
            ids = [item["id"] for item in payload["items"]]
            return {"themes": [{**theme, "item_ids": ids} for theme in map_reply["themes"]]}
        ids = [item["id"] for group in payload["groups"] for item in group["items"]]
        themes = []
        for theme in by_section.get(payload["section"], [])[:2]:
            sentences = [
                {"text": s["text"], "source_ids": ids[n % len(ids) : n % len(ids) + 2]}
                for n, s in enumerate(theme["sentences"])
            ]
            themes.append(
                {
                    "title": theme["title"],
                    "group_ids": [g["id"] for g in payload["groups"]],
                    "sentences": sentences,
                }
            )
        return {"themes": themes}

    server.behaviour.responder = replay
    sections, stats = run(local(), nghe_an_reports())

    assert every_item_once(sections) == item_keys(), "an item was lost"
    assert stats.fallbacks > 0
    note = next(n for n in stats.notes if n.startswith("Mô hình tổng hợp được"))
    assert "chưa được tổng hợp" in note
    written = [s for themes in sections.values() for t in themes for s in t.sentences if s.origin == "llm"]
    assert not any("nâng cao năng lực của nhân viên" in s.text for s in written)
    assert not any("Challenges" in t.title for themes in sections.values() for t in themes)
    flagged = [
        s
        for themes in sections.values()
        for t in themes
        for s in t.sentences
        if {FLAG_UNCOVERED, FLAG_UNSUPPORTED} & set(s.flags)
    ]
    assert len({citation_key(c) for s in flagged for c in s.citations}) == stats.fallbacks
