"""Security headers for the built site, computed from it, written for common static hosts.

One source (security_headers) and three renderings: `_headers` (Netlify, Cloudflare Pages),
`.htaccess` (Apache) and `nginx-headers.conf` (an nginx `include`).
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
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(scripts),
        "style-src 'self'" + "".join(" " + style for style in styles),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
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


def write_header_files(site_dir):
    site_dir = Path(site_dir)
    headers = security_headers(site_dir)
    (site_dir / "_headers").write_text(
        "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items()), encoding="utf-8")
    (site_dir / ".htaccess").write_text(
        "<IfModule mod_headers.c>\n"
        + "".join(f'  Header always set {name} "{value}"\n' for name, value in headers.items())
        + "</IfModule>\n", encoding="utf-8")
    (site_dir / "nginx-headers.conf").write_text(
        "# include this file in the server or location block that serves the site\n"
        + "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items()), encoding="utf-8")
    return headers
