"""Sign-in: reviewer accounts from the store, a session cookie, nothing reachable without it."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from . import store

bp = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static"}


def current_user() -> str | None:
    return session.get("user")


def require_sign_in():
    """before_request: every page but the sign-in form and static files needs a reviewer."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    user = current_user()
    if user and store.user_exists(current_app.extensions["review.engine"], user):
        return None
    if user:                                     # an account removed since: forget it
        session.clear()
    if request.method != "GET":
        return ("未登录或登录已过期 — sign-in required", 401)
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no //) — never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("routes.queue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        name = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if name and store.check_user(current_app.extensions["review.engine"], name, password):
            session.clear()
            session.permanent = True
            session["user"] = name
            return redirect(_safe_next(request.form.get("next")))
        error = "用户名或密码不正确 — wrong user name or password"
    return render_template("login.html.j2", error=error, next=request.values.get("next", "")), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
