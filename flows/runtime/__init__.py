"""How the flows execute: Prefect settings, the local server, the collector pause, progress."""
