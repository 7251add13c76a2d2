"""Static files through WhiteNoise: fingerprinted names cached for a year, compressed, plain names still served."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

from flask import Flask, render_template_string

ROOT = Path(__file__).resolve().parents[2]


def _app(tmp_path: Path) -> Flask:
    """A small app over a copy of static/ (fingerprinted into the copy), wired as create_app wires the site."""
    from matchmaker.web import assets

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static" / "js", static / "js")
    shutil.copytree(ROOT / "static" / "images", static / "images")
    assets.build(static)
    app = Flask("static_test", static_folder=str(static))
    assets.init_app(app)

    @app.route("/")
    def page() -> str:
        return render_template_string("<script src=\"{{ url_for('static', filename='js/app.js') }}\"></script>")

    return app


def test_fingerprinted_urls_are_cached_for_a_year_and_compressed(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'src="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/dist/js/app\.[0-9a-f]{12}\.js", url)

    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == (ROOT / "static" / "js" / "app.js").read_bytes()


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    from matchmaker.web import assets

    _app(tmp_path)
    static = tmp_path / "static"
    before = assets.read_manifest(static)["js/app.js"]
    (static / "js" / "app.js").write_text("// changed\n")
    assert assets.build(static)["js/app.js"] != before


def test_plain_names_are_still_served_with_a_short_lifetime(tmp_path: Path) -> None:
    response = _app(tmp_path).test_client().get("/static/js/tables.js")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert "max-age=3600" in response.headers["Cache-Control"]


def test_the_site_pages_use_the_fingerprinted_names(client) -> None:
    from matchmaker.web.assets import read_manifest

    manifest = read_manifest(ROOT / "static")
    html = client.get("/accessibility").get_data(as_text=True)
    assert manifest, "static/dist/manifest.json is missing: run `make assets` (make test does)"
    assert f"/static/{manifest['vendor/site.css']}" in html
    assert client.get(re.search(r'href="(/static/[^"]+\.css)"', html).group(1)).status_code == 200
