"""Pydantic models: the single source of truth for every record that crosses a boundary."""
