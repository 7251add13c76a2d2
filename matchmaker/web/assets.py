"""Static files through WhiteNoise: fingerprinted names cached for a year, compressed copies, no hand-written headers.

`make assets` (or `python -m matchmaker.web.assets`) copies each file of static/ (not the scss
sources) to static/dist/ under a name with a hash of its content (`js/app.js` becomes
`dist/js/app.1a2b3c4d5e6f.js`), writes static/dist/manifest.json, and gzip-compresses the text
files beside them. The app reads the manifest at start, so `url_for('static', filename='js/app.js')`
gives the fingerprinted address; WhiteNoise serves it with `Cache-Control: max-age=31536000, immutable`
(its content can never change under that name) and the .gz copy to browsers that accept it. Files
without a fingerprint (those the CSS and ES modules name themselves, such as fonts and
`/static/js/tables.js`) are served by WhiteNoise too, cached for STATIC_MAX_AGE seconds. Without a
manifest (a checkout where `make assets` has not run) the plain names are used.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from flask import Flask

DIST = "dist"
MANIFEST = "manifest.json"
SKIP = {"scss", DIST}
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+(\.gz|\.br)?$")
YEAR = 365 * 24 * 3600


def _sources(static: Path) -> list[Path]:
    """The files to fingerprint: everything under static/ but the scss sources and earlier output."""
    return sorted(
        p
        for p in static.rglob("*")
        if p.is_file() and p.relative_to(static).parts[0] not in SKIP and not p.name.startswith(".")
    )


def build(static: Path) -> dict[str, str]:
    """Write static/dist/ (fingerprinted copies, compressed) and its manifest; the manifest."""
    from whitenoise.compress import Compressor

    dist = static / DIST
    if dist.exists():
        shutil.rmtree(dist)
    manifest: dict[str, str] = {}
    for source in _sources(static):
        name = source.relative_to(static).as_posix()
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
        target = dist / Path(name).with_name(f"{source.stem}.{digest}{source.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        manifest[name] = target.relative_to(static).as_posix()
    compressor = Compressor(use_brotli=False, quiet=True)
    for path in dist.rglob("*"):
        if path.is_file() and compressor.should_compress(path.name):
            list(compressor.compress(str(path)))
    (dist / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(static: Path) -> dict[str, str]:
    """The manifest written by build (empty when there is none)."""
    try:
        return json.loads((static / DIST / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def init_app(app: Flask) -> None:
    """Serve static/ through WhiteNoise, and make url_for('static', ...) give the fingerprinted names."""
    from whitenoise import WhiteNoise

    static = Path(app.static_folder or "static")
    manifest = read_manifest(static)

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(static),
        prefix=app.static_url_path or "/static",
        max_age=app.config.get("STATIC_MAX_AGE", 3600),
        immutable_file_test=lambda _path, url: bool(FINGERPRINTED.search(url)),
        add_headers_function=_security_headers,
    )


def _security_headers(headers: Any, _path: str, _url: str) -> None:
    """The headers every response of the site carries (web/security.py), on static files too."""
    from matchmaker.web.security import COMMON_HEADERS

    for name, value in COMMON_HEADERS.items():
        headers[name] = value


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "static"
    written = build(folder)
    print(f"{len(written)} static files fingerprinted into {folder / DIST}")
