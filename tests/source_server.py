"""A web server on 127.0.0.1 serving source documents, so archive tests never touch the network."""

import contextlib
import time
from http.server import BaseHTTPRequestHandler

PAGE = b"""<!doctype html>
<html><head><title>Sunshine Law</title><style>p { color: red }</style>
<script>var tracking = "do not keep";</script></head>
<body><header>Site header</header><nav>Home | About</nav>
<h1>Section 610.021</h1><p>Records may be closed<br>to the extent they relate to
legal actions.</p><p>The next paragraph.</p>
<footer>Copyright footer</footer></body></html>"""


def pdf_with_text(line: str) -> bytes:
    """A one-page PDF showing `line`, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


class SourceHandler(BaseHTTPRequestHandler):
    routes = {
        "/page.html": (200, "text/html; charset=utf-8", PAGE),
        "/doc.pdf": (200, "application/pdf", pdf_with_text("The court shall seal the record.")),
        "/plain.txt": (200, "text/plain; charset=utf-8", "A “plain” text.".encode()),
        "/big.txt": (200, "text/plain", b"x" * 5000),
        "/image.png": (200, "image/png", b"\x89PNG\r\n"),
        "/missing": (404, "text/plain", b"gone"),
    }

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        if self.path.startswith("/redirect?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?", 1)[1])
            self.end_headers()
            return
        status, content_type, body = self.routes.get(self.path, (200, "text/plain", b"late"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if self.path != "/big.txt":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass
