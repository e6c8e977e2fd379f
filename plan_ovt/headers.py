"""Security headers for the built site, computed from it, written for common static hosts.

One source (security_headers) and three renderings: `_headers` (Netlify, Cloudflare Pages),
`.htaccess` (Apache) and `nginx-headers.conf` (an nginx `include`).
The web editor under admin/ has its own policy (admin_headers), replacing the site's for that folder only.
"""

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)([^>]*)>(.*?)</script>", re.S)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
# Data blocks (JSON) are never executed: CSP does not apply to them.
DATA_BLOCK = re.compile(r'\stype="application/(?:ld\+)?json"')


def _hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(site_dir):
    """CSP hashes of every inline script and style of every page: (scripts, styles), sorted."""
    scripts, styles = set(), set()
    for page in Path(site_dir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts |= {_hash(body) for attributes, body in INLINE_SCRIPT.findall(html)
                    if not DATA_BLOCK.search(attributes)}
        styles |= {_hash(body) for body in INLINE_STYLE.findall(html)}
    return sorted(scripts), sorted(styles)


def content_security_policy(scripts, styles):
    # No manifest-src: default-src already covers it, and WebKit (Safari) logs an error for a directive
    # it does not know, on every page.
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(scripts),
        "style-src 'self'" + "".join(" " + style for style in styles),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ])


def admin_policy(api_origins):
    """The web editor's policy (plan_ovt/cms.py): its own script, the styles it injects, files it reads
    as blobs, and the forge's API. No eval, no other host: the CMS features that load code from
    elsewhere (code highlighting, image tools, maps) stay blocked."""
    forge = "".join(" " + origin for origin in api_origins)
    return "; ".join([
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
    ])


def security_headers(site_dir):
    """The headers every response of the site should carry."""
    return {
        "Content-Security-Policy": content_security_policy(*inline_hashes(site_dir)),
        "Strict-Transport-Security": "max-age=31536000",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def admin_headers(api_origins):
    """What admin/ sends instead of the site's: its policy, and popups that can answer it (the GitLab or
    GitHub sign-in window reports back to the page that opened it)."""
    return {"Content-Security-Policy": admin_policy(api_origins),
            "Cross-Origin-Opener-Policy": "same-origin-allow-popups"}


def write_header_files(site_dir, admin_origins=None):
    """Write the three files; with admin_origins, the admin/ folder gets admin_headers instead."""
    site_dir = Path(site_dir)
    headers = security_headers(site_dir)
    admin = admin_headers(admin_origins) if admin_origins is not None else {}
    variable = {name: "$plan_ovt_" + name.lower().replace("-", "_") for name in admin}
    (site_dir / "_headers").write_text(
        "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
        # Cloudflare Pages: "! name" drops the value the /* rule set (Netlify would send both: see README).
        + ("/admin/*\n" + "".join(f"  ! {name}\n  {name}: {value}\n" for name, value in admin.items())
           if admin else ""), encoding="utf-8")
    (site_dir / ".htaccess").write_text(
        "<IfModule mod_headers.c>\n"
        + "".join(f'  Header always set {name} "{value}"\n' for name, value in headers.items())
        + ('  <If "%{REQUEST_URI} =~ m#/admin/#">\n'
           + "".join(f'    Header always set {name} "{value}"\n' for name, value in admin.items())
           + "  </If>\n" if admin else "")
        + "</IfModule>\n", encoding="utf-8")
    (site_dir / "nginx-headers.conf").write_text(
        "# include this file in the server or location block that serves the site\n"
        + "".join(f'set {variable[name]} "{headers[name]}";\n' for name in admin)
        + ('if ($uri ~ "/admin/") {\n' + "".join(f'  set {variable[name]} "{value}";\n' for name, value in admin.items())
           + "}\n" if admin else "")
        + "".join(f'add_header {name} "{variable.get(name, value)}" always;\n' for name, value in headers.items()),
        encoding="utf-8")
    return headers
