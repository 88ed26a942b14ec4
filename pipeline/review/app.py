"""The Flask application: configuration, security headers, sign-in guard.

``create_app(out_dir, url=None)`` serves one run's output folder.  Every page needs a signed-in
reviewer (``auth``); every POST carries a CSRF token (Flask-WTF); session cookies are HttpOnly
and SameSite=Strict; templates (``report_templates/review/``) are autoescaped; every response
carries a Content-Security-Policy that allows scripts, styles and images from this server
only (the memo, which inlines its styles and pictures, gets a policy with no script at all).
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Optional

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from . import store
from .run import Run

TEMPLATES = Path(__file__).resolve().parents[2] / "report_templates" / "review"
STATIC = Path(__file__).resolve().parent / "static"

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
MEMO_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'"


def create_app(out_dir: Path, url: Optional[str] = None, *, testing: bool = False) -> Flask:
    engine = store.engine_for(Path(out_dir), url)
    store.create_all(engine)
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(STATIC), static_url_path="/static")
    app.config.update(
        SECRET_KEY=store.secret_key(engine),
        SESSION_COOKIE_NAME="review_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=10),
        WTF_CSRF_TIME_LIMIT=None,                # tied to the session, which expires
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        LEDGER_URL=url,                          # the run's ledger: summary rows follow each save
        TESTING=testing,
    )
    app.jinja_env.autoescape = True              # also for the .j2 names
    app.extensions["review.run"] = Run(Path(out_dir), engine)
    app.extensions["review.engine"] = engine
    app.extensions["review.save_lock"] = threading.Lock()
    CSRFProtect(app)

    from . import auth, routes
    app.register_blueprint(auth.bp)
    app.register_blueprint(routes.bp)
    app.before_request(auth.require_sign_in)

    @app.errorhandler(CSRFError)
    def _csrf_refused(err):
        return (render_template("error.html.j2", title="请求被拒绝",
                                message="页面已过期或请求缺少安全令牌（CSRF），未作任何更改。请返回并刷新页面后重试。"
                                        " — refused: missing or expired CSRF token"), 400)

    @app.errorhandler(404)
    def _not_found(_err):
        return render_template("error.html.j2", title="未找到", message="没有这份申报材料或这个栏目 — not found"), 404

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    return app
