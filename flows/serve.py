"""What `tonghop serve` does: the consolidation deployment served on its schedule, by a Prefect server.

Prefect is imported inside `serve_schedule`, once its settings are set (`configure_prefect`) and the API URL
is the server's (`prefect_server`): Prefect reads its settings once, when it is imported.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.runtime.local_server import prefect_server
from flows.runtime.prefect_env import configure_prefect
from tonghop.settings import Settings


def _nothing(api_url: str) -> None:
    pass


def serve_schedule(settings: Settings, *, on_ready: Callable[[str], None] = _nothing) -> None:
    """Serves until interrupted: the server `tonghop` started (if any) stops as the interruption unwinds.

    `on_ready` gets the API URL once the server answers, just before the deployment is registered.
    """
    configure_prefect(settings.prefect_home)
    with prefect_server(settings.prefect_home) as api_url:
        from prefect import serve

        from flows.deployment import build_deployment

        on_ready(api_url)
        serve(build_deployment(settings))
