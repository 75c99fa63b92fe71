"""Flask CLI commands (``flask --app api.wsgi init-db``): set up the database before first use,
e.g. on PostgreSQL where the server's account may not be allowed to create tables."""

from __future__ import annotations

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create the reports and catalogue tables if missing, and say where they are."""
        store = app.extensions["tender_check"].store  # creating the store creates the tables
        click.echo(f"数据库已就绪：{store.engine.url.render_as_string(hide_password=True)}（{store.count_reports()} 份报告）")
