"""The host recipes (plan_ovt/headers.py) on Debian's real nginx and Apache, at a root and under a sub-path.

Every file of the site, a few missing addresses and the folders without their slash: status, every
security header, content type and charset, caching, the bilingual 404 page. Needs
`apt-get install nginx apache2` (make test installs them); the servers run on loopback ports.
"""

import http.client
import os
import subprocess
from unittest import mock
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import CONFIG, PLATFORM_ADDRESSES, ROOT
from plan_ovt import cms
from plan_ovt.headers import (CONTENT_TYPES, admin_headers, cache_control, content_type, security_headers,
                              write_server_configs)
from web_servers import APACHE_BASE_MODULES, SERVERS, apache_config, command

# The site is published at the root of a host, or under a sub-path (site_url's path).
LAYOUTS = ["root", "sub-path"]
# Read by Netlify and Cloudflare Pages; other hosts serve it as any file without a known type.
HOST_FILES = {"_headers"}
MISSING = ["nexiste-pas.html", "en/missing.html", "assets/stylesheets/absent.css", "donnees/absent.csv"]


@pytest.fixture(scope="module", params=[(server, layout) for server in SERVERS for layout in LAYOUTS],
                ids=lambda param: "-".join(param))
def host(request, site, root_site):
    """(server, site folder, admin/ headers) with the server serving that build at its site_url's path."""
    server_name, layout = request.param
    folder, environ = (root_site, PLATFORM_ADDRESSES) if layout == "root" else (site, {})
    site_url = environ.get("PLAN_OVT_SITE_URL", CONFIG["site_url"])
    # The forge the build's web editor talks to, from the settings that build had.
    with mock.patch.dict(os.environ, environ):
        origins = cms.api_origins(cms.generate(ROOT / "mkdocs.yml")["backend"])
    server = SERVERS[server_name](folder, site_url, urlsplit(site_url).path, origins)
    yield server, Path(folder), admin_headers(origins)
    server.stop()


def expected_headers(folder, admin, name):
    """Every file gets the site's headers; admin/ (the web editor) its own policy instead."""
    return dict(security_headers(folder), **(admin if name.startswith(f"{cms.ADMIN}/") else {}))


def get(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


def header_problems(headers, expected):
    return {name: headers.get(name.lower()) for name, value in expected.items() if headers.get(name.lower()) != value}


def test_every_file_is_served_with_its_type_caching_and_security_headers(host):
    server, folder, admin = host
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.name not in HOST_FILES)
    unknown = [path.name for path in files if path.suffix[1:] not in CONTENT_TYPES]
    assert unknown == [], "extensions missing from CONTENT_TYPES in plan_ovt/headers.py"
    wrong = {}
    for path in files:
        name = path.relative_to(folder).as_posix()
        status, headers, body = get(server, server.path + name)
        problems = header_problems(headers, dict(expected_headers(folder, admin, name),
                                                 **{"Content-Type": content_type(name),
                                                    "Cache-Control": cache_control(name)}))
        if status != 200 or body != path.read_bytes() or "content-encoding" in headers or problems:
            wrong[name] = (status, problems)
    assert wrong == {}
    # Both caching rules are in use: Material's hashed assets, and everything else.
    assert {cache_control(path.name) for path in files} == {"no-cache", "public, max-age=31536000, immutable"}


@pytest.mark.parametrize("missing", MISSING)
def test_a_missing_address_gets_the_bilingual_404_page_and_the_headers(host, missing):
    server, folder, _ = host
    status, headers, body = get(server, server.path + missing)
    assert status == 404
    assert body == (folder / "404.html").read_bytes()
    assert header_problems(headers, dict(security_headers(folder), **{"Content-Type": "text/html; charset=utf-8",
                                                                     "Cache-Control": "no-cache"})) == {}


def test_a_folder_without_its_slash_redirects_with_the_headers(host):
    server, folder, _ = host
    folders = ["en"] + ([server.path.rstrip("/")] if server.path != "/" else [])
    for address in folders:
        target = address if address.startswith("/") else server.path + address
        status, headers, _ = get(server, target)
        assert status == 301, address
        assert urlsplit(headers["location"]).path == target + "/"
        assert header_problems(headers, security_headers(folder)) == {}, address


def test_apache_refuses_to_start_without_mod_headers(site, tmp_path):
    """Without mod_headers, Apache would serve the site without a single security header: it must not start."""
    write_server_configs(site, tmp_path / "recipes", CONFIG["site_url"])
    (tmp_path / "root").mkdir()
    config = tmp_path / "apache.conf"
    modules = [module for module in APACHE_BASE_MODULES if module != "headers"]
    config.write_text(apache_config(tmp_path, 9, modules), encoding="utf-8")
    result = subprocess.run([command("apache2"), "-t", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "a2enmod headers" in result.stdout + result.stderr

