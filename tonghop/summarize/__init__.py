"""Summarizers: offline (extractive, deterministic) and LLM (OpenAI-compatible), behind one interface."""
