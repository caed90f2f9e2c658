"""Who sent a file: the official roster, pre-2025 units, phrase matching, overrides."""
