"""Debian's nginx and Apache, started on a loopback port with their own prefix and the recipes of
plan_ovt/headers.py, as an operator would install them; stopped by their PID.

Each server gets a document root of its own holding the site at `path` (copied: Apache's workers, and
nginx's when the tests run as root, must read it from outside pytest's private temporary folder).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from plan_ovt.headers import write_server_configs

APACHE_MODULES = Path("/usr/lib/apache2/modules")
# Debian's own settings of these modules (types, languages, index files), as a default install has them.
APACHE_DEBIAN_CONF = [Path("/etc/apache2/mods-available/mime.conf"), Path("/etc/apache2/mods-available/dir.conf")]
# Debian's default install also has autoindex and alias (and lists /var/www's folders: Options Indexes).
APACHE_BASE_MODULES = ("mpm_event", "authz_core", "mime", "dir", "headers", "alias", "autoindex")


def command(name):
    """Debian installs the servers in /usr/sbin, which is not on every user's PATH."""
    return shutil.which(name, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin") or name


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebServer:
    """A running server: .url is the site's address, .stop() ends it by its PID."""

    def __init__(self, name, command, port, prefix, path):
        self.name, self.prefix, self.port, self.path = name, prefix, port, path
        self.url = f"http://127.0.0.1:{port}{path}"
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        output = self.process.communicate(timeout=5)[0] if self.process.poll() is not None else ""
        self.stop()
        log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
        raise RuntimeError(f"{name} did not start:\n{output}\n{log}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


def _prefix(site_dir, path):
    """A world-readable folder: the document root (site at `path`) and the server's own files."""
    prefix = Path(tempfile.mkdtemp(prefix="plan-ovt-server-"))
    os.chmod(prefix, 0o755)
    shutil.copytree(site_dir, prefix / "root" / path.strip("/"), dirs_exist_ok=True)
    for folder in [prefix, prefix / "root", *(prefix / "root").rglob("*")]:
        if folder.is_dir():
            os.chmod(folder, 0o755)
    return prefix


def start_nginx(site_dir, site_url, path, admin_origins=None):
    """nginx serving site_dir at `path` with the recipe written for site_url (and its web editor's forge)."""
    prefix = _prefix(site_dir, path)
    write_server_configs(site_dir, prefix / "recipes", site_url, path, admin_origins)
    port = free_port()
    temp = "".join(f"    {kind}_temp_path {prefix}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nmaster_process on;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\nevents {{ worker_connections 64; }}\n"
        # autoindex on: a server that lists folders, which the recipe must turn off for the site.
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    autoindex on;\n"
        f"    access_log off;\n{temp}"
        f"    server {{\n        listen 127.0.0.1:{port};\n        root {prefix}/root;\n"
        f"        include {prefix}/recipes/nginx.conf;\n    }}\n}}\n", encoding="utf-8")
    argv = [command("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    return WebServer("nginx", argv, port, prefix, path)


def apache_config(prefix, port, modules=APACHE_BASE_MODULES):
    lines = [f"ServerRoot {prefix}", f"DefaultRuntimeDir {prefix}", f"PidFile {prefix}/apache.pid",
             f"Listen 127.0.0.1:{port}", "ServerName 127.0.0.1", f"ErrorLog {prefix}/error.log"]
    lines += [f"LoadModule {module}_module {APACHE_MODULES}/mod_{module}.so" for module in modules]
    if os.geteuid() == 0:
        lines += ["User nobody", "Group nogroup"]
    lines += [f"Include {conf}" for conf in APACHE_DEBIAN_CONF]
    lines += [f"DocumentRoot {prefix}/root",
              f"<Directory {prefix}/root>\n    Options Indexes FollowSymLinks\n    Require all granted\n"
              "    AllowOverride None\n</Directory>",
              f"Include {prefix}/recipes/apache.conf"]
    return "\n".join(lines) + "\n"


def start_apache(site_dir, site_url, path, admin_origins=None, modules=APACHE_BASE_MODULES):
    """Apache serving site_dir at `path` with the recipe written for site_url (and its web editor's forge)."""
    prefix = _prefix(site_dir, path)
    write_server_configs(site_dir, prefix / "recipes", site_url, path, admin_origins)
    port = free_port()
    (prefix / "apache.conf").write_text(apache_config(prefix, port, modules), encoding="utf-8")
    argv = [command("apache2"), "-f", str(prefix / "apache.conf"), "-DFOREGROUND"]
    return WebServer("apache", argv, port, prefix, path)


SERVERS = {"nginx": start_nginx, "apache": start_apache}
