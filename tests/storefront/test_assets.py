"""Static files get fingerprinted names once compiled, and only those are cached by browsers for a year."""

import shutil

from flask_static_digest.digester import compile as compile_digests

from marketplace import create_app
from marketplace.storefront.assets import ONE_YEAR, init_assets


def test_compiled_static_files_are_fingerprinted_and_cached_for_a_year(tmp_path):
    static = tmp_path / "static"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")
    shutil.copytree(app.static_folder, static)
    compile_digests(str(static), str(static), [], False, False)
    app.static_folder = str(static)
    init_assets(app)  # reads the manifest the way a deploy after `flask digest compile` does
    with app.test_request_context("/"):
        url = app.jinja_env.globals["static_url_for"]("static", filename="css/site.css")
    assert url.startswith("/static/css/site-") and url.endswith(".css")
    client = app.test_client()
    with client.get(url) as fingerprinted:
        assert fingerprinted.status_code == 200
        assert fingerprinted.cache_control.max_age == ONE_YEAR and fingerprinted.cache_control.immutable
    with client.get("/static/css/site.css") as plain:
        assert plain.status_code == 200 and plain.cache_control.max_age != ONE_YEAR

