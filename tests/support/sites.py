"""A real threaded HTTP server on 127.0.0.1 serving the demo brand sites (brandtruth.demo) plus adversarial endpoints.

    with serve_sites() as sites:
        url = f"{sites.base_url}/northwind-analytics/"
        sites.hits["/northwind-analytics/"]          # requests per path
        sites.slow_url("northwind-analytics/", 2.0)  # same page, answered after 2 s (or release())

Every wait in here is bounded and ends when the server stops, so a test can never hang on it.
"""

from __future__ import annotations

import functools
import io
import mimetypes
import struct
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brandtruth.demo import SITES_DIR as DEMO_SITES_DIR

SITES_DIR = DEMO_SITES_DIR
# Test-only pages (script probes, visual cases) live beside the tests, not in the package: never in the
# wheel nor at /demo. The server serves both trees from one root, so a page's URL is the same either way.
TEST_SITES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
MAX_DELAY = 30.0
ROBOTS = b"User-agent: *\nDisallow: /_adv/private-area/\n\nUser-agent: BrandTruth\nDisallow: /_adv/no-robots/\n"

JS_SHELL = b"""<!doctype html><html lang="en"><head><title>Loading...</title>
<script src="/static/app.js"></script></head><body><div id="root"></div>
<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"""


@functools.cache
def big_png(width: int = 7200, height: int = 5000) -> bytes:
    """A real 36-megapixel PNG of one colour: tiny on the wire, ~110 MB once decoded."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (180, 110, 60)).save(buf, "PNG", compress_level=9)
    return buf.getvalue()


BIG_PHOTOS_PAGE = (
    b"<!doctype html><html lang='en'><head><title>Big Photo Co</title></head><body><main>"
    b"<h1>Big Photo Co takes very large pictures</h1>"
    b"<p>We have photographed more than 400 weddings across Vermont since 2009.</p>"
    + b"".join(b"<img src='/_adv/big-photo-%d.png' alt='A wedding'>" % i for i in range(4))
    + b"</main></body></html>"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(side: int = 30_000) -> bytes:
    """A valid-looking PNG header for side x side pixels whose data is a few KB of zeros."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (side + 1) * 8, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


CORRUPT_PNG = b"\x89PNG\r\n\x1a\n" + b"this is not really an image" * 10

BROKEN_IMAGES_PAGE = b"""<!doctype html><html lang="en"><head><title>Broken Images Co</title>
<meta property="og:site_name" content="Broken Images Co"></head><body>
<header><img class="logo" src="/_adv/bomb.png" alt="Broken Images Co logo"></header>
<h1>Broken Images Co makes sturdy boxes.</h1>
<p>Our boxes hold 40 kg each. We have shipped 12,000 boxes since 2019.</p>
<img src="/_adv/corrupt.png" alt="A box"><img src="/_adv/bomb.png" alt="Another box">
<img src="/_adv/not-html" alt="A PDF pretending"></body></html>"""


@cache
def many_links_page(links: int = 60_000) -> bytes:
    """The Northwind home page with `links` more same-site links at its end (~1.5 MB): ranking them was
    quadratic on the event loop. Served at /_adv/many-links/, with Northwind's other pages beside it."""
    home = (SITES_DIR / "northwind-analytics" / "index.html").read_bytes()
    archive = b"".join(b'<a href="a/%d">%d</a> ' % (i, i) for i in range(links))
    return home.replace(b"</body>", b'<div class="archive">' + archive + b"</div></body>", 1)


def _northwind_with(extra: bytes, head: bytes = b"") -> bytes:
    home = (SITES_DIR / "northwind-analytics" / "index.html").read_bytes()
    return home.replace(b"</head>", head + b"</head>", 1).replace(b"</body>", extra + b"</body>", 1)


def deep_nesting_page(depth: int = 100_000) -> tuple[bytes, str]:
    """Northwind's home with `depth` nested <div>s at its end (lxml's default depth limit is 255)."""
    return _northwind_with(b"<div>" * depth + b"deep" + b"</div>" * depth), "text/html; charset=utf-8"


def long_paragraph_page(repeats: int = 140_000) -> tuple[bytes, str]:
    """Northwind's home with one ~2.4 MB paragraph of the same claim at its end: classifying every sentence
    and looking each founding year up in every sentence made reading it quadratic."""
    return _northwind_with(b"<p>" + b"Founded in 1998. " * repeats + b"</p>"), "text/html; charset=utf-8"


def css_rules_page() -> tuple[bytes, str]:
    return _northwind_with(b"", b'<link rel="stylesheet" href="/_adv/css-rules/rules.css">'), "text/html; charset=utf-8"


def css_rules(rules: int = 20_000) -> tuple[bytes, str]:
    """Thousands of CSS rules, each with its own background image."""
    body = b"".join(
        b".r%d{color:#%06x;background-image:url(/_adv/bg/%d.jpg)}\n" % (i, i * 37 % 0xFFFFFF, i) for i in range(rules)
    )
    return body, "text/css"


SVG_EXTERNAL = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40">
<style>@import url(http://169.254.169.254/latest/meta-data/x.css);</style>
<image href="http://169.254.169.254/latest/meta-data/" width="10" height="10"/>
<image xlink:href="file:///etc/passwd" width="10" height="10"/>
<use href="http://10.0.0.1/sprite.svg#logo"/>
<a href="javascript:alert(1)"><rect width="120" height="40" fill="#1f4e8c"/></a>
<set attributeName="href" to="javascript:alert(document.domain)"/>
<script>alert(1)</script><text x="8" y="26" fill="#fff">Northwind</text></svg>"""


def svg_logo_page() -> tuple[bytes, str]:
    home = (SITES_DIR / "northwind-analytics" / "index.html").read_bytes()
    logo = b'<header><img class="logo" src="/_adv/external.svg" alt="Northwind Analytics logo"></header>'
    return home.replace(b"<body>", b"<body>" + logo, 1), "text/html; charset=utf-8"


def idna_image_page() -> tuple[bytes, str]:
    """Images whose hosts IDNA refuses (a label over 63 characters, an empty label)."""
    bad = b'<img src="http://%s.example.com/a.png" alt="long label"><img src="https://www..example.com/b.png" alt="empty">'
    return _northwind_with(bad % (b"a" * 70)), "text/html; charset=utf-8"


def big_robots(size: int = 500_000) -> bytes:
    """A ~500 KB robots.txt: thousands of groups and rules, BrandTruth's own group last."""
    lines = [b"User-agent: bot%d\nDisallow: /p%d/\n" % (i, i) for i in range(size // 30)]
    return b"".join(lines)[:size] + b"\nUser-agent: *\nDisallow: /_adv/private-area/\n"


HOSTILE_PAGES = {
    "deep-nesting/": deep_nesting_page,
    "long-paragraph/": long_paragraph_page,
    "css-rules/": css_rules_page,
    "css-rules/rules.css": css_rules,
    "svg-logo/": svg_logo_page,
    "external.svg": lambda: (SVG_EXTERNAL, "image/svg+xml"),
    "idna-image/": idna_image_page,
}


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, slow_paths: dict[str, float] | None = None, port: int = 0, robots: bytes = ROBOTS):
        super().__init__(("127.0.0.1", port), _Handler)
        self.robots = robots
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._hit = threading.Condition(self._lock)
        self.slow_paths = {"/" + k.lstrip("/"): min(v, MAX_DELAY) for k, v in (slow_paths or {}).items()}
        self.stopping = threading.Event()
        self.released = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def slow_url(self, path: str, seconds: float) -> str:
        """A URL answering like `path`, but only after `seconds` (at most 30) or release()."""
        return f"{self.base_url}/_slow/{min(seconds, MAX_DELAY):g}/{path.lstrip('/')}"

    def release(self) -> None:
        """Let every delayed response answer now."""
        self.released.set()

    def count(self, path: str) -> int:
        with self._lock:
            return self.hits["/" + path.lstrip("/")]

    def record(self, path: str) -> None:
        with self._hit:
            self.hits[path] += 1
            self._hit.notify_all()

    def wait_for_hit(self, path: str, timeout: float = 10.0) -> bool:
        """Blocks until `path` has been requested (True) or `timeout` passed (False)."""
        with self._hit:
            return self._hit.wait_for(lambda: self.hits["/" + path.lstrip("/")] > 0, timeout)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a size cap, a timeout, a cancelled run) is normal here: no traceback."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; False when the server is stopping or delays were released."""
        interval = 0.05
        waited = 0.0
        while waited < min(seconds, MAX_DELAY):
            if self.stopping.is_set() or self.released.is_set():
                return False
            self.stopping.wait(interval)
            waited += interval
        return True


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: with Nagle on, the body waited for the client's delayed
    # ACK of the headers, 40 ms on Linux loopback, on about half the requests (a page fetch took 45 ms
    # instead of 2). Real web servers send without that stall; a fixture must not add it to benches.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        self.server.record(path)
        try:
            self._route(path)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): exactly what several tests provoke

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, b"", Location=location)

    def _route(self, path: str) -> None:
        if path in self.server.slow_paths:
            self.server.wait(self.server.slow_paths[path])
        if path == "/robots.txt":
            return self._send(200, self.server.robots, "text/plain")
        if path.startswith("/_slow/"):
            _, _, seconds, rest = path.split("/", 3)
            self.server.wait(float(seconds))
            return self._static("/" + rest)
        if path.startswith("/_adv/"):
            return self._adversarial(path[len("/_adv/") :])
        return self._static(path)

    def _static(self, path: str) -> None:
        first = path.lstrip("/").split("/", 1)[0]
        root = TEST_SITES_DIR if first and (TEST_SITES_DIR / first).is_dir() else SITES_DIR
        target = (root / path.lstrip("/")).resolve()
        if root not in target.parents and target != root:
            return self._send(404, b"not found")
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/", 301)
            target = target / "index.html"
        if not target.is_file():
            return self._send(404, b"<h1>Not found</h1>")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix == ".html":
            # The legacy fixture is Latin-1 and says so only in a <meta>; everything else is UTF-8.
            latin = b"iso-8859-1" in target.read_bytes()[:800].lower()
            ctype = "text/html" if latin else ctype + "; charset=utf-8"
        self._send(200, target.read_bytes(), ctype)

    def _adversarial(self, name: str) -> None:
        if name == "redirect-loop":
            return self._redirect("/_adv/redirect-loop-b")
        if name == "redirect-loop-b":
            return self._redirect("/_adv/redirect-loop")
        if name.startswith("redirect-chain/"):
            hops = int(name.split("/")[1])
            return self._redirect(f"/_adv/redirect-chain/{hops - 1}" if hops > 0 else "/northwind-analytics/")
        if name == "redirect-private":
            return self._redirect("http://10.0.0.1/admin")
        if name == "redirect-metadata":
            return self._redirect("http://169.254.169.254/latest/meta-data/")
        if name == "redirect-decimal":
            return self._redirect("http://2130706433/northwind-analytics/")
        if name in ("huge", "huge-declared"):
            return self._huge(declared=name == "huge-declared")
        if name == "slow-drip":
            return self._drip()
        if name == "not-html":
            return self._send(200, b"%PDF-1.4 not a page", "application/pdf")
        if name in ("404", "500", "503", "429"):
            return self._send(int(name), f"<h1>Error {name}</h1>".encode(), Retry_After="7")
        if name == "js-shell/":
            return self._send(200, JS_SHELL)
        if name == "broken-images/":
            return self._send(200, BROKEN_IMAGES_PAGE)
        if name == "corrupt.png":
            return self._send(200, CORRUPT_PNG, "image/png")
        if name == "bomb.png":
            return self._send(200, bomb_png(), "image/png")
        if name == "big-photos/":
            return self._send(200, BIG_PHOTOS_PAGE)
        if name.startswith("big-photo-"):  # every one a real, decodable 36-megapixel PNG of ~120 KB
            return self._send(200, big_png(), "image/png")
        if name.startswith("many-links/"):
            rest = name.removeprefix("many-links/")  # Northwind's other pages, images and CSS are beside it
            return self._static(f"/northwind-analytics/{rest}") if rest else self._send(200, many_links_page())
        if name in HOSTILE_PAGES:
            body, ctype = HOSTILE_PAGES[name]()
            return self._send(200, body, ctype)
        case, _, rest = name.partition("/")
        if rest and f"{case}/" in HOSTILE_PAGES:  # Northwind's other pages, images and CSS are beside it
            return self._static(f"/northwind-analytics/{rest}")
        if name.startswith("giant-headers/"):  # 64 headers of 8 KB each: 512 KB before the body
            return self._send(200, b"<h1>Headers</h1>", **{f"X_Filler_{i}": "x" * 8192 for i in range(64)})
        if name.startswith("no-robots/"):
            return self._send(200, b"<html><body><h1>Hidden</h1></body></html>")
        return self._send(404, b"<h1>Not found</h1>")

    def _huge(self, *, declared: bool) -> None:
        total = 20 * 1024 * 1024
        chunk = b"<p>" + b"x" * 65_530 + b"</p>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")  # body ends when the connection closes
        self.end_headers()
        sent = 0
        while sent < total and not self.server.stopping.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)
        self.close_connection = True

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"<html><body>")
        for _ in range(600):  # at most ~60 s, and it stops as soon as the server does
            if not self.server.wait(0.1) and self.server.stopping.is_set():
                break
            self.wfile.write(b".")
            self.wfile.flush()
        self.close_connection = True


@contextmanager
def serve_sites(slow_paths: dict[str, float] | None = None, port: int = 0, robots: bytes = ROBOTS) -> Iterator[SiteServer]:
    server = SiteServer(slow_paths, port, robots)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    """`python -m tests.support.sites [--port N]`: serve the fixture sites until interrupted (e.g. for
    bench/load.py, which keeps them out of its own process)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--big-robots", action="store_true", help="serve a ~500 KB robots.txt")
    parser.add_argument("--slow-robots", type=float, default=0.0, help="answer robots.txt after this many seconds")
    args = parser.parse_args()
    slow = {"/robots.txt": args.slow_robots} if args.slow_robots else None
    with serve_sites(slow, port=args.port, robots=big_robots() if args.big_robots else ROBOTS) as server:
        print(f"serving {SITES_DIR} at {server.base_url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
