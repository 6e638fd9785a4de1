"""Accounts: buyers, koperasi staff and the OPOP team; registration, login, password reset."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.accounts.models import User
    from marketplace.accounts.views import bp
    from marketplace.extensions import db, login_manager

    app.register_blueprint(bp)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(session_id: str):
        """A cookie names the user and the session version it was issued under; an older version was revoked."""
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 18:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user
