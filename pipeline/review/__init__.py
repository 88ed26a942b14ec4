"""The clerks' review workbench: a local web app over a run's output folder.

``python -m pipeline review OUT`` serves it (``serve``); ``--add-user NAME`` creates a reviewer
account.  Modules: ``app`` (factory, security headers), ``auth`` (sign-in), ``routes`` (queue,
review page, annex, save, crops, memo), ``items`` (what the review page lists, in order),
``corrections`` (parse, apply, keep and re-apply a clerk's values), ``store`` (the tables:
users, append-only corrections, reviews), ``run`` (the run's dossiers and source files by id).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, TextIO


def add_user(out_dir: Path, name: str, stdin: TextIO, url: Optional[str] = None) -> int:
    """Create (or reset) a reviewer; the password is the first line of ``stdin``."""
    from . import store
    if stdin.isatty():
        import getpass
        password = getpass.getpass(f"{name} 的密码 — password: ")
    else:
        password = stdin.readline().rstrip("\r\n")
    engine = store.engine_for(out_dir, url)
    store.create_all(engine)
    try:
        store.add_user(engine, name, password)
    except ValueError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    print(f"已创建复核账号 {name} — reviewer account saved", file=sys.stderr)
    return 0


def serve(out_dir: Path, host: str = "127.0.0.1", port: int = 8765, url: Optional[str] = None) -> int:
    from werkzeug.serving import run_simple

    from . import store
    from .app import create_app
    app = create_app(out_dir, url)
    if not store.has_users(app.extensions["review.engine"]):
        print(f"尚无复核账号 — no reviewer accounts yet: python -m pipeline review {out_dir} --add-user 姓名 "
              "(或 make review-user NAME=姓名)", file=sys.stderr)
    print(f"复核工作台 — review workbench: http://{host}:{port}/  (Ctrl+C 结束)", file=sys.stderr)
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    return 0
