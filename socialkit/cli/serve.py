"""``socialkit serve``: the dashboard for officials (Panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from ._checks import lang_help


@app.command("serve")
def serve(
    catalog: Annotated[Path | None, typer.Option(help="Intake catalog to show "
                                                 "(default: the demo catalog).")] = None,
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 5006,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "localhost",
    basic_auth: Annotated[Path | None, typer.Option(
        "--basic-auth", help="Credentials file (user -> argon2 hash, written by `socialkit "
        "users add`): require a login.")] = None,
    users: Annotated[Path | None, typer.Option(
        help="YAML/JSON file user -> municipality ids ('*' for all); needs --basic-auth.")] = None,
    cookie_secret: Annotated[str | None, typer.Option(
        help="Secret signing login cookies (default: random per start).")] = None,
    allow_websocket_origin: Annotated[list[str] | None, typer.Option(
        help="Host[:port] browsers connect from, if not localhost (repeatable).")] = None,
    behind_proxy: Annotated[bool, typer.Option(
        help="Trust X-Forwarded-For/-Proto from a reverse proxy (client address, HTTPS).")
    ] = False,
    show: Annotated[bool, typer.Option(help="Open a browser tab.")] = False,
    lang: Annotated[str, typer.Option(help=lang_help("Language of messages."))] = "en",
) -> None:
    """Serve the dashboard (Overview, Digital maturity, Needs, Social passport, M&E, Library)."""
    from ..i18n import t
    from ..views.server import serve as _serve

    server = _serve(catalog, port=port, address=address, basic_auth=basic_auth, users=users,
                    cookie_secret=cookie_secret, allow_websocket_origin=allow_websocket_origin,
                    behind_proxy=behind_proxy, show=show, start=False)
    typer.echo(t("views.cli.serving", lang, url=f"http://{address}:{server.port}/"), err=True)
    server.start()
    server.io_loop.start()
