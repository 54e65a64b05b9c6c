"""Accounts in the browser.

`bp` (/accounts): administrators invite people, find accounts, change roles and approver
levels, deactivate and reactivate, send password resets and end sessions; anyone else gets
403 (audited by cia/errors.py). `your_account` (/account): everyone sees their own account,
changes their password and sees and ends their own sessions; /set-password/<token> is the
single-use link from an invitation or reset e-mail. Every change is an audit row
(cia/data/accounts.py).
"""

from flask import Blueprint, abort
from flask_login import current_user

from cia.extensions import login_manager

bp = Blueprint("accounts", __name__, url_prefix="/accounts")
your_account = Blueprint("your_account", __name__)


@bp.before_request
def _administrators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.user.is_admin:
        abort(403)
    return None


from cia.accounts import routes_admin, routes_self  # noqa: E402,F401 - routes register themselves
