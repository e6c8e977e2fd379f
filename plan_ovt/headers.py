"""Response headers of the built site, written for the hosts that serve it.

One source (security_headers, CONTENT_TYPES, cache_control) and three renderings:
- `_headers` in the site: Netlify and Cloudflare Pages read it from the published folder;
- `nginx.conf` and `apache.conf` beside the site, never published: the server reads them from its own
  configuration (`python -m plan_ovt.headers site server`, run by `make site`).
The web editor under admin/ has its own policy (admin_headers), replacing the site's for that folder only.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

# Every kind of file the site publishes, by extension; text is sent with its charset.
CONTENT_TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "json": "application/json",
    "map": "application/json", "csv": "text/csv", "xml": "application/xml", "txt": "text/plain",
    "svg": "image/svg+xml", "pdf": "application/pdf", "png": "image/png", "ico": "image/x-icon",
    "gz": "application/gzip", "woff2": "font/woff2", "yml": "application/yaml",
}
TEXT_TYPES = ("text/html", "text/css", "text/javascript", "application/json", "text/csv", "application/xml",
              "text/plain", "image/svg+xml", "application/yaml")
# Material's assets carry a hash of their content in their name (bundle.a5f9d56c.min.js): a new version
# is a new name, so browsers may keep them for a year. Everything else is checked again on each visit.
HASHED_ASSET = r"\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$"
LONG_CACHE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# A name starting with "." anywhere in the path (.git/, .env) is never served: the site publishes none, and
# one copied there by mistake stays private. /.well-known/ is the standard's own place (security.txt).
DOTFILE = r"/\.(?!well-known(/|$))"
# What the Apache recipe needs, and what would go wrong without each (it refuses to load instead).
APACHE_MODULES = {
    "headers": ("les en-têtes du site ne seraient pas envoyés", "the site's headers would not be sent"),
    "mime": ("les fichiers partiraient sans leur type", "files would be sent without their type"),
    "dir": ("un dossier ne servirait pas son index.html", "a folder would not serve its index.html"),
    "alias": ("les fichiers cachés (.git, .env) seraient servis", "hidden files (.git, .env) would be served"),
}


def content_type(name):
    """The Content-Type a server should send for a file name, charset included for text."""
    kind = CONTENT_TYPES[name.rsplit(".", 1)[-1]]
    return f"{kind}; charset=utf-8" if kind in TEXT_TYPES else kind


def cache_control(name):
    return LONG_CACHE if re.search(HASHED_ASSET, name) else REVALIDATE


# The site's one policy, the same for every page whatever they contain: only the site's own files run
# (no inline script, no hash, nothing computed from the pages), and no inline style. A page that would
# need more is refused by the build (plan_ovt/output_policy.py).
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
# A <meta> policy cannot forbid framing: browsers ignore frame-ancestors there, with a console error.
NOT_IN_META = ("frame-ancestors",)


def content_security_policy(meta=False):
    """The policy as a header, or (meta) as the pages carry it for hosts that send no header.
    No manifest-src: default-src already covers it, and WebKit (Safari) logs an error for a directive it
    does not know, on every page."""
    return "; ".join(f"{name} {value}" for name, value in POLICY.items() if not (meta and name in NOT_IN_META))


def admin_policy(api_origins, meta=False):
    """The web editor's policy (plan_ovt/cms.py): its own script, the styles it injects, files it reads
    as blobs, and the forge's API. No eval, no other host: the CMS features that load code from
    elsewhere (code highlighting, image tools, maps) stay blocked. `meta`: as admin/index.html carries it."""
    forge = "".join(" " + origin for origin in api_origins)
    return "; ".join(directive for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:" + forge,
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self' blob: data:" + forge,
        "worker-src 'self' blob:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ] if not (meta and directive.split()[0] in NOT_IN_META))


def admin_headers(api_origins):
    """What admin/ sends instead of the site's: its policy, and popups that can answer it (the GitLab or
    GitHub sign-in window reports back to the page that opened it)."""
    return {"Content-Security-Policy": admin_policy(api_origins),
            "Cross-Origin-Opener-Policy": "same-origin-allow-popups"}


def security_headers(site_dir=None):
    """The headers every response of the site should carry, 404s and redirects included: the same for
    every build (site_dir is not read)."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "Strict-Transport-Security": "max-age=31536000",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def hashed_assets(site_dir):
    site_dir = Path(site_dir)
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")
                  if path.is_file() and re.search(HASHED_ASSET, path.name))


def write_header_files(site_dir, admin_origins=None):
    """`_headers` for Netlify and Cloudflare Pages, which send their own revalidating Cache-Control
    unless told otherwise: only the hashed assets get one (rules that match a file add up).
    With admin_origins, the admin/ folder gets admin_headers instead of the site's."""
    site_dir = Path(site_dir)
    headers = security_headers(site_dir)
    admin = admin_headers(admin_origins) if admin_origins is not None else {}
    text = "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
    # Cloudflare Pages: "! name" drops the value the /* rule set (Netlify would send both: see README).
    text += ("/admin/*\n" + "".join(f"  ! {name}\n  {name}: {value}\n" for name, value in admin.items())
             if admin else "")
    text += "".join(f"/{asset}\n  Cache-Control: {LONG_CACHE}\n" for asset in hashed_assets(site_dir))
    (site_dir / "_headers").write_text(text, encoding="utf-8")
    return headers


def url_path(site_url):
    """The path the site is served under: "/" or "/plan-ovt/"."""
    return urlsplit(site_url or "/").path.rstrip("/") + "/"


def nginx_conf(site_dir, path, admin=None):
    """An nginx `include` for a server { } block whose root holds the site under `path`.

    nginx drops every inherited add_header in a location that has one of its own: each location
    below repeats all of them. No folder is listed (autoindex off) and no dotfile served (DOTFILE).
    """
    site_headers = security_headers(site_dir)

    def header_lines(cache, indent, overrides=None):
        values = dict(site_headers, **(overrides or {}))
        lines = [f'add_header {name} "{value}" always;' for name, value in values.items()]
        lines.append(f'add_header Cache-Control "{cache}" always;')
        return "".join(f"{indent}{line}\n" for line in lines)

    def dotfiles(indent, overrides=None):
        return (f'{indent}location ~ "{DOTFILE}" {{\n{header_lines(REVALIDATE, indent + "    ", overrides)}'
                f"{indent}    return 404;\n{indent}}}\n")

    types = "".join(f"        {kind} {extension};\n" for extension, kind in CONTENT_TYPES.items())
    text = ("# Plan OVT — nginx: written by `make site` from the built site (python -m plan_ovt.headers).\n"
            f"# Include it in the server {{ }} block that serves the site, whose root holds site/ as {path}\n"
            "# Every location repeats every header: nginx drops the inherited add_header lines in a location\n"
            "# that adds its own.\n")
    if path != "/":
        text += (f"\nlocation = {path[:-1]} {{\n{header_lines(REVALIDATE, '    ')}"
                 f"    absolute_redirect off;\n    return 301 {path};\n}}\n")
    text += (f"\nlocation {path} {{\n"
             f"    types {{\n{types}    }}\n"
             "    default_type application/octet-stream;\n"
             "    charset utf-8;\n"
             f"    charset_types {' '.join(kind for kind in TEXT_TYPES if kind != 'text/html')};\n"
             f"    error_page 404 {path}404.html;\n"
             "    absolute_redirect off;\n"
             "    autoindex off;\n"
             f"{header_lines(REVALIDATE, '    ')}"
             f"\n    # First of the regular expressions: a dotfile never gets the hashed-asset rule below.\n"
             f"{dotfiles('    ')}"
             f'\n    location ~ "{HASHED_ASSET}" {{\n{header_lines(LONG_CACHE, "        ")}    }}\n')
    if admin:
        text += (f"\n    # The web editor: its own policy (^~: the hashed-asset rule above does not apply here).\n"
                 f"    location ^~ {path}admin/ {{\n{header_lines(REVALIDATE, '        ', admin)}"
                 f"{dotfiles('        ', admin)}    }}\n")
    return text + "}\n"


def apache_conf(site_dir, path, admin=None):
    """An Apache 2.4 `Include` for the <VirtualHost> whose DocumentRoot holds the site under `path`.

    Without mod_headers Apache would silently drop every header: the configuration refuses to load instead.
    No folder is listed (Options -Indexes, against Debian's `Options Indexes` on /var/www) and no dotfile
    served (DOTFILE, answered 404 by mod_alias).
    """
    location = path[:-1] or "/"
    headers = "".join(f'    Header always set {name} "{value}"\n' for name, value in security_headers(site_dir).items())
    text = ("# Plan OVT — Apache 2.4: written by `make site` from the built site (python -m plan_ovt.headers).\n"
            f"# Include it in the <VirtualHost> whose DocumentRoot holds site/ as {path}\n"
            "# Modules: headers (sudo a2enmod headers), mime, dir and alias (enabled by Debian's default install).\n")
    for module, without in APACHE_MODULES.items():
        text += (f"<IfModule !{module}_module>\n"
                 f'    Error "Plan OVT : le module Apache {module} est requis (sudo a2enmod {module}) ; sans lui, '
                 f'{without[0]}. (Apache module {module} is required: without it, {without[1]}.)"\n'
                 "</IfModule>\n")
    # The charset in the type, not AddCharset: sitemap.xml.gz is gzip (its last extension), not text.
    types = "".join(f'    AddType "{content_type(f".{extension}")}" .{extension}\n' for extension in CONTENT_TYPES)
    text += (f'\n<Location "{location}">\n'
             f"{headers}"
             f'    Header always set Cache-Control "{REVALIDATE}"\n'
             f"{types}"
             f"    ErrorDocument 404 {path}404.html\n"
             "    DirectorySlash On\n"
             "    Options -Indexes\n"
             "</Location>\n"
             f'RedirectMatch 404 "^{re.escape(path[:-1])}(/.*)?{DOTFILE}"\n'
             f'<LocationMatch "^{re.escape(path)}.*{HASHED_ASSET}">\n'
             f'    Header always set Cache-Control "{LONG_CACHE}"\n'
             "</LocationMatch>\n")
    if admin:
        text += (f'# The web editor: its own policy.\n<Location "{path}admin">\n'
                 + "".join(f'    Header always set {name} "{value}"\n' for name, value in admin.items())
                 + "</Location>\n")
    return text


def write_server_configs(site_dir, out_dir, site_url, path=None, admin_origins=None):
    """nginx.conf and apache.conf for the site built in site_dir, served under `path` (site_url's path);
    with admin_origins, admin/ gets admin_headers."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = path or url_path(site_url)
    admin = admin_headers(admin_origins) if admin_origins is not None else None
    (out_dir / "nginx.conf").write_text(nginx_conf(site_dir, path, admin), encoding="utf-8")
    (out_dir / "apache.conf").write_text(apache_conf(site_dir, path, admin), encoding="utf-8")


def main(argv=None):
    from plan_ovt import cms
    from plan_ovt.pages import read_config

    parser = argparse.ArgumentParser(description="Configurations nginx et Apache du site construit "
                                                 "(nginx and Apache configurations of the built site).")
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        sys.exit(f"{args.site_dir}/index.html introuvable : construisez d’abord le site (make site). "
                 f"({args.site_dir}/index.html not found: build the site first.)")
    config = read_config(args.config)
    # The same editor configuration the build wrote into admin/ (plan_ovt/hooks.py on_post_build).
    origins = cms.api_origins(cms.generate(args.config)["backend"]) if (args.site_dir / cms.ADMIN).is_dir() else None
    write_server_configs(args.site_dir, args.out_dir, config.get("site_url"), admin_origins=origins)


if __name__ == "__main__":
    main()
