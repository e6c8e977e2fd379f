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
from plan_ovt.headers import (APACHE_MODULES, CONTENT_TYPES, admin_headers, cache_control, content_type, security_headers,
                              write_server_configs)
from web_servers import APACHE_BASE_MODULES, SERVERS, apache_config, command

# The site is published at the root of a host, or under a sub-path (site_url's path).
LAYOUTS = ["root", "sub-path"]
# Read by Netlify and Cloudflare Pages; other hosts serve it as any file without a known type.
HOST_FILES = {"_headers"}
MISSING = ["nexiste-pas.html", "en/missing.html", "assets/stylesheets/absent.css", "donnees/absent.csv"]
# Copied into the served folder by mistake: never served, whatever their place (the editor's folder too).
DOTFILES = [".env", ".git/config", "en/.secret.txt", "assets/.cache/data.json", ".well-known.txt", "admin/.env"]
# The standard's own place for files such as security.txt stays served.
WELL_KNOWN = ".well-known/security.txt"
# A folder without index.html: never listed.
UNLISTED = "archives/"


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
    mistakes(server.prefix / "root" / server.path.strip("/"))
    yield server, Path(folder), admin_headers(origins)
    server.stop()


def mistakes(root):
    """What an upload could leave in the served copy of the site (not in the build, which other tests read)."""
    for name in [*DOTFILES, WELL_KNOWN, UNLISTED + "rapport-interne.txt"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"SECRET {name}\n", encoding="utf-8")
        for folder in [path, *path.parents]:
            if folder == root.parent:
                break
            folder.chmod(0o755 if folder.is_dir() else 0o644)


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


@pytest.mark.parametrize("name", DOTFILES)
def test_a_dotfile_is_never_served(host, name):
    server, folder, _ = host
    status, headers, body = get(server, server.path + name)
    assert (status, body) == (404, (folder / "404.html").read_bytes())
    assert b"SECRET" not in body and header_problems(headers, security_headers(folder)) == {}


def test_the_well_known_folder_is_served(host):
    server, _, _ = host
    status, headers, body = get(server, server.path + WELL_KNOWN)
    assert status == 200 and body == f"SECRET {WELL_KNOWN}\n".encode()
    assert headers["content-type"] == "text/plain; charset=utf-8"


def test_a_folder_without_index_is_never_listed(host):
    server, folder, _ = host
    status, headers, body = get(server, server.path + UNLISTED)
    assert status in (403, 404) and b"rapport-interne" not in body
    assert header_problems(headers, security_headers(folder)) == {}


# mime and dir: the harness includes Debian's own settings of them, which need them before the recipe can speak.
@pytest.mark.parametrize("missing", [module for module in APACHE_MODULES if module not in ("mime", "dir")])
def test_apache_refuses_to_start_without_a_module_the_recipe_needs(site, tmp_path, missing):
    """Without mod_headers Apache would serve the site without a single security header, without mod_alias
    its dotfiles: it must not start, and says which module to enable."""
    write_server_configs(site, tmp_path / "recipes", CONFIG["site_url"])
    (tmp_path / "root").mkdir()
    config = tmp_path / "apache.conf"
    modules = [module for module in APACHE_BASE_MODULES if module != missing]
    config.write_text(apache_config(tmp_path, 9, modules), encoding="utf-8")
    result = subprocess.run([command("apache2"), "-t", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode != 0
    assert f"a2enmod {missing}" in result.stdout + result.stderr
