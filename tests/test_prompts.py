"""The reply schemas sent as `response_format`, and the cache keys of the requests that carry them."""

from __future__ import annotations

from typing import Any

import pytest

from tonghop.summarize.prompts import REPLY_MODELS, LlmRequest, response_format, strict_schema


def objects(node: Any) -> list[dict[str, Any]]:
    """Every JSON Schema object node with properties, however deep."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for value in node.values():
            found.extend(objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(objects(value))
    return found


@pytest.mark.parametrize("kind", sorted(REPLY_MODELS))
def test_every_object_of_a_reply_schema_is_closed_and_requires_all_its_properties(kind: str) -> None:
    schema = strict_schema(REPLY_MODELS[kind])
    nodes = objects(schema)
    assert len(nodes) >= 2, "the reply and the themes inside it"
    for node in nodes:
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])


def test_a_schema_changed_by_one_caller_changes_nothing_for_the_next() -> None:
    """The schema is made once per model; each caller must still get its own copy."""
    request = LlmRequest(
        kind="map",
        model="qwen2.5-7b-instruct",
        temperature=0.0,
        messages=[{"role": "user", "content": "Xã Diễn Châu tập huấn 42 cán bộ."}],
    )
    key = request.cache_key()
    schema = strict_schema(REPLY_MODELS["map"])
    schema["properties"].clear()
    schema["required"].append("khong-co")
    response_format("map")["json_schema"]["schema"].clear()

    assert request.cache_key() == key
    assert strict_schema(REPLY_MODELS["map"])["properties"]
    assert response_format("map")["json_schema"]["schema"] == strict_schema(REPLY_MODELS["map"])
    assert request.model_copy(update={"model": "llama3.1-8b"}).cache_key() != key
