"""Pages and actions: the queue, a dossier's review page, its annex of all fields, saving a
value (correct or confirm), marking a dossier reviewed, the crop of a source, the memo.

Dossiers and fields are looked up by id (``Run.get``, the extraction's own field ids); no
route opens a path a request names.
"""
from __future__ import annotations

from typing import Any, Optional

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)

from pipeline.memo.reviewed import review_summary
from pipeline.model import load_catalogue

from . import corrections, items, store
from .app import MEMO_CSP
from .auth import current_user
from .run import Entry, Run

bp = Blueprint("routes", __name__)

FILTERS = {"all": "全部", "todo": "待审核", "reviewed": "已审核", "failed": "读取失败"}
SORTS = {"id": "编号", "verdict": "结论", "todo": "待核对项", "errors": "错误", "reviewed": "审核时间"}
VERDICT_TEXT = {"pass": "通过", "review": "需复核", "fail": "不通过"}


def _run() -> Run:
    return current_app.extensions["review.run"]


def _engine():
    return current_app.extensions["review.engine"]


def _entry(dossier_id: str) -> tuple[Entry, Any]:
    e = _run().get(dossier_id)
    if e is None or e.folder is None:
        abort(404)
    ext = _run().load(e)
    if ext is None:
        abort(404)
    return e, ext


# -- the queue ----------------------------------------------------------------------------
def _queue_row(e: Entry, activity: dict) -> dict:
    ext = _run().load(e)
    act = activity.get(e.id, {})
    failed = e.status == "failed" or ext is None or bool(ext.meta.get("failed")) or not ext.has_form
    c = items.counts(ext) if ext is not None else {"doubtful": 0, "error": 0, "warning": 0, "reviewed": 0,
                                                   "stale": 0}
    name = (ext.value("cover.cluster_name") or ext.value("basic.cluster_name") or "") if ext else ""
    todo = c["doubtful"] + c["error"] + c["warning"] + c["stale"]
    return {"id": e.id, "name": name, "verdict": ext.verdict if ext else "review",
            "verdict_text": VERDICT_TEXT.get(ext.verdict if ext else "", "—"), "failed": failed,
            "error_text": e.error or "; ".join(p.get("message", "") for p in (ext.problems if ext else [])
                                               if p.get("kind") in ("no_form", "empty"))[:200],
            "counts": c, "todo": todo, "reviewed": bool(act.get("reviewed")), "by": act.get("by") or "",
            "at": store.iso(act["at"]) if act.get("at") else "", "at_raw": act.get("at") or 0.0,
            "corrections": act.get("corrections", 0)}


def _keep(row: dict, flt: str) -> bool:
    if flt == "todo":
        return not row["failed"] and not row["reviewed"]
    if flt == "reviewed":
        return row["reviewed"]
    if flt == "failed":
        return row["failed"]
    return True


SORT_KEYS = {
    "id": lambda r: r["id"],
    "verdict": lambda r: ({"fail": 0, "review": 1, "pass": 2}.get(r["verdict"], 3), r["id"]),
    "todo": lambda r: (-r["todo"], r["id"]),
    "errors": lambda r: (-r["counts"]["error"], r["id"]),
    "reviewed": lambda r: (-r["at_raw"], r["id"]),
}


@bp.route("/")
def queue():
    flt = request.args.get("filter", "all")
    sort = request.args.get("sort", "id")
    flt = flt if flt in FILTERS else "all"
    sort = sort if sort in SORT_KEYS else "id"
    activity = store.last_activity(_engine())
    rows = [_queue_row(e, activity) for e in _run().entries().values()]
    totals = {k: sum(_keep(r, k) for r in rows) for k in FILTERS}
    rows = sorted((r for r in rows if _keep(r, flt)), key=SORT_KEYS[sort])
    if request.args.get("desc") == "1":
        rows.reverse()
    return render_template("queue.html.j2", rows=rows, filters=FILTERS, sorts=SORTS, filter=flt, sort=sort,
                           desc=request.args.get("desc") == "1", totals=totals, user=current_user(),
                           out=str(_run().out))


# -- a dossier ----------------------------------------------------------------------------
def _page(e: Entry, ext, template: str, **extra):
    cat = load_catalogue()
    return render_template(template, e=e, ext=ext, user=current_user(), counts=items.counts(ext),
                           review=review_summary(ext, cat), verdict_text=VERDICT_TEXT.get(ext.verdict, "—"),
                           changed=_run().changed_files(e, ext), focus=request.args.get("focus", ""),
                           messages=get_flashed_messages(with_categories=True),
                           reviewed=store.last_activity(_engine()).get(e.id, {}), **extra)


@bp.route("/d/<dossier_id>")
def dossier(dossier_id: str):
    e, ext = _entry(dossier_id)
    page = items.build(ext, load_catalogue())
    return _page(e, ext, "dossier.html.j2", page=page, back="review")


@bp.route("/d/<dossier_id>/fields")
def fields(dossier_id: str):
    e, ext = _entry(dossier_id)
    return _page(e, ext, "fields.html.j2", rows=items.annex(ext, load_catalogue()), back="fields")


def _next_focus(old_order: list[str], new_order: list[str], fid: str) -> Optional[str]:
    """The item after the saved one: the first later item of the old order still listed."""
    after = old_order[old_order.index(fid) + 1:] if fid in old_order else []
    for x in after:
        if x in new_order:
            return x
    return new_order[0] if new_order else None


@bp.route("/d/<dossier_id>/save", methods=["POST"])
def save(dossier_id: str):
    e, _ = _entry(dossier_id)
    fid = request.form.get("field", "")
    action = corrections.CONFIRMED if request.form.get("action") == "accept" else corrections.CORRECTED
    back = "fields" if request.form.get("back") == "fields" else "review"
    reason = (request.form.get("reason") or "").strip()[:500] or None
    cat = load_catalogue()
    with current_app.extensions["review.save_lock"], _run().writing() as free:
        if not free:
            flash("批处理正在写入此输出目录，未保存；请稍后再试。 — a pipeline run is writing to this folder", "error")
            return redirect(url_for("routes.dossier", dossier_id=e.id, focus=fid))
        e, ext = _entry(dossier_id)
        if fid not in ext.fields and cat.spec(fid) is None:
            abort(404)
        kind = corrections.kind_of(cat, fid)
        try:
            value, raw = corrections.parse_input(kind, request.form.getlist("value"))
        except corrections.BadInput as err:
            flash(f"「{cat.label_of(fid)}」未保存：{err}", "error")
            return redirect(url_for("routes.dossier" if back == "review" else "routes.fields", dossier_id=e.id,
                                    focus=fid))
        old_order = items.build(ext, cat)["order"]
        before = items.finding_keys(ext)
        corrections.record(_engine(), ext, fid, value, raw, action=action, by=current_user() or "?", reason=reason)
        assert e.folder is not None                 # _entry refuses a dossier without outputs
        with _run().files(e, ext) as found:
            from pipeline.process import recheck
            recheck(ext, e.folder, _run().formats(e), found or None)
        from pipeline.summary import record_recheck
        why = record_recheck(ext, e.folder.parent, current_app.config.get("LEDGER_URL"))
        if why:
            flash(why, "error")
        changes = items.diff(before, items.finding_keys(ext))
        new_order = items.build(ext, cat)["order"]
    verb = "已确认" if action == corrections.CONFIRMED else "已更正"
    flash(f"{verb}「{cat.label_of(fid)}」：{items.display_value(ext.fields[fid].value)}；已重新核查并更新备忘录。", "ok")
    for m in changes["gone"]:
        flash(m, "gone")
    for m in changes["new"]:
        flash(m, "new")
    if back == "fields":
        return redirect(url_for("routes.fields", dossier_id=e.id, focus=fid))
    nxt = _next_focus(old_order, new_order, fid)
    return redirect(url_for("routes.dossier", dossier_id=e.id, focus=nxt or None))    # autofocus, no #fragment



@bp.route("/d/<dossier_id>/reviewed", methods=["POST"])
def mark_reviewed(dossier_id: str):
    e, _ = _entry(dossier_id)
    status = "reopened" if request.form.get("status") == "reopened" else "reviewed"
    store.add_review(_engine(), e.id, current_user() or "?", status)
    flash("已标记为审核完成" if status == "reviewed" else "已重新打开，待审核", "ok")
    return redirect(url_for("routes.queue") if status == "reviewed" else url_for("routes.dossier", dossier_id=e.id))


@bp.route("/d/<dossier_id>/crop/<field_id>.png")
def crop(dossier_id: str, field_id: str):
    e, ext = _entry(dossier_id)
    fv = ext.fields.get(field_id)
    if fv is None or fv.source is None:
        abort(404)
    png = _run().crop(e, ext, fv.source)
    if png is None:
        abort(404)
    resp = Response(png, mimetype="image/png")
    resp.headers["Cache-Control"] = "private, max-age=300"
    return resp


@bp.route("/d/<dossier_id>/memo")
def memo(dossier_id: str):
    e, _ = _entry(dossier_id)
    assert e.folder is not None
    path = e.folder / "memo.html"
    if not path.is_file():
        abort(404)
    resp = Response(path.read_bytes(), mimetype="text/html")
    resp.headers["Content-Security-Policy"] = MEMO_CSP      # its own inline styles and pictures, no script
    return resp
