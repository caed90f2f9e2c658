"""Themes kept between runs in the round's registry, so a re-run summarizes only the scopes that changed.

After a few new files in one province, the other provinces' themes come back from here unchanged (see
`offline.memo_key` for what they depend on).
"""

from __future__ import annotations

from pydantic import TypeAdapter

from schemas.summary import Theme
from tonghop.store.registry import Registry

_THEMES = TypeAdapter(list[Theme])


class StoredThemes:
    """A `ThemeMemo` over the registry, one scope at a time: a national round's themes need not all sit in
    memory beside the round's reports."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._used: set[str] = set()
        self.hits = 0

    def get(self, key: str) -> list[Theme] | None:
        stored = self._registry.stored_theme(key)
        if stored is None:
            return None
        self._used.add(key)
        self.hits += 1
        return _THEMES.validate_json(stored)

    def put(self, key: str, themes: list[Theme]) -> None:
        self._registry.store_theme(key, _THEMES.dump_json(themes))
        self._used.add(key)

    def save(self) -> None:
        """Forgets the scopes this run neither used nor computed: their inputs are gone."""
        self._registry.keep_themes(self._used)
