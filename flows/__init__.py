"""Prefect flows and tasks: thin wiring around the plain functions of the `tonghop` package."""
