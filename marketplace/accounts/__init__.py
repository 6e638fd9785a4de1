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
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))
