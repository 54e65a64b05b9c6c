"""All assessments (approvers and administrators), notifications, and the e-mail outbox (administrators)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from cia import workflow as wf
from cia.data import dashboard, notifications
from cia.formfields import whole_number
from cia.review import bp
from cia.web.access import require_role
from cia.web.paging import date_arg, page_number, pagination, text_arg


def dashboard_filters() -> tuple[dashboard.Filters, dict, dict[str, str]]:
    """The filters asked for, the dates as typed, and the decision routes the filter offers."""
    errors: dict[str, str] = {}
    date_from, typed_from = date_arg("from", "Decision date from", errors)
    date_to, typed_to = date_arg("to", "Decision date to", errors)
    if date_from and date_to and date_to < date_from:
        errors["to-day"] = "Decision date to must be the same as or after decision date from"
    status = request.args.get("status", "")
    route = request.args.get("decision_route", "")
    routes = dashboard.decision_route_choices()
    filters = dashboard.Filters(
        status=status if status in wf.STATES else "",
        directorate=text_arg("directorate", 300), decision_route=route if route in routes else "",
        date_from=date_from, date_to=date_to, search=text_arg("q", 500), errors=errors)
    return filters, {"from": typed_from, "to": typed_to}, routes


@bp.route("/all")
@login_required
def all_assessments():
    user = current_user.user
    require_role(user.is_approver or user.is_admin)
    filters, typed_dates, routes = dashboard_filters()
    found = dashboard.all_assessments(user, filters if not filters.errors else dashboard.Filters(), page_number())
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "review/all.html", found=found, filters=filters, typed_dates=typed_dates, states=wf.STATES,
        routes=routes,
        pagination=pagination(found.page, found.pages, lambda n: url_for("review.all_assessments", page=n, **args)),
        title="All assessments",
    ), (400 if filters.errors else 200)


# --- notifications -------------------------------------------------------------------------


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications_page():
    user = current_user.user
    form = FlaskForm()
    problem = ""
    if request.method == "POST" and form.validate_on_submit():
        which = request.form.get("notification", "")  # none: "Mark all as read"
        one = whole_number(which)
        if which and one is None:  # not a notification's id: mark nothing rather than everything
            problem = "Select “Mark as read” next to a notification, or “Mark all as read”"
        else:
            changed = notifications.mark_read(user, one)
            flash("Notification marked as read" if one is not None and changed else
                  "All notifications marked as read" if changed else "There was nothing unread")
            return redirect(url_for("review.notifications_page"))
    rows, total = notifications.for_user(user, page_number())
    pages = max(1, -(-total // 25))
    return render_template(
        "review/notifications.html", rows=rows, total=total, form=form,
        pagination=pagination(min(page_number(), pages), pages,
                              lambda n: url_for("review.notifications_page", page=n)),
        problem=problem, title="Notifications",
    ), (400 if problem else 200)


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Following a notification's link reads it: it is marked as read, and the count goes down."""
    link = notifications.opened(current_user.user, notification_id)
    if link is None:
        abort(404)
    # The stored link is the service's own path; anything else goes to the list, never off the site.
    safe = link.startswith("/") and not link.startswith("//") and "\\" not in link
    return redirect(link if safe else url_for("review.notifications_page"))


@bp.route("/admin/outbox")
@login_required
def outbox():
    require_role(current_user.user.is_admin)
    rows, total = notifications.outbox(page_number())
    pages = max(1, -(-total // 25))
    return render_template(
        "review/outbox.html", rows=rows, total=total,
        pagination=pagination(min(page_number(), pages), pages, lambda n: url_for("review.outbox", page=n)),
        title="E-mail outbox",
    )
