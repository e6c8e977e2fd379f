"""A static server that behaves like a good static host: gzip for text, long cache for hashed assets."""

import gzip
import http.server
import threading
from functools import partial

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as every real host does

    def send_head(self):
        path = self.translate_path(self.path)
        kind = self.guess_type(path)
        if not kind.startswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            with open(path if not path.endswith("/") else path + "index.html", "rb") as source:
                body = gzip.compress(source.read(), compresslevel=6, mtime=0)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000, immutable" if "/assets/" in self.path else "no-cache")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


def serve(directory, port=0):
    """Start serving `directory` on loopback; returns (base URL, server to shut down)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(StaticHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server
