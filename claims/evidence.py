"""Evidence: archived copies of sources, and where a citation's quote stands in them."""

from __future__ import annotations

import array
import functools
import hashlib
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import lxml.etree
import lxml.html
import pypdf
from django.conf import settings

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
# Characters that take no room in the reading: soft hyphen, zero-width spaces and joiners.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


# Each character's folded form, computed once: a long copy repeats few distinct characters.
_FOLDED: dict[str, str] = {}


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote stands in a text: `text[start:end]`."""

    start: int
    end: int


@functools.lru_cache(maxsize=8)
def _normalise(text: str) -> tuple[str, array.array]:
    """A comparable copy of `text` and, for each of its characters, the offset it came from.

    Cached: an archived copy is immutable, and the workflow checks many quotes against it.

    Letter case, quote marks, dashes and compatibility forms (ligatures, non-breaking spaces)
    are folded; every run of whitespace becomes one space; a word hyphenated across a line
    break is joined again.
    """
    chars: list[str] = []
    offsets = array.array("q")
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _INVISIBLE:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            if chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(i)
            i = j
            continue
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = _FOLDED[ch] = unicodedata.normalize("NFKC", ch).translate(_QUOTES).lower()
        if folded == "-" and _breaks_word(text, i):
            # "infor-\nmation": skip the hyphen and the line break, keep reading the word.
            j = i + 1
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            i = j
            continue
        for out in folded:
            if out.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(i)
                continue
            chars.append(out)
            offsets.append(i)
        i += 1
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def _breaks_word(text: str, i: int) -> bool:
    """Whether the hyphen at `i` ends a line in the middle of a word."""
    if i == 0 or not text[i - 1].isalpha():
        return False
    j = i + 1
    saw_newline = False
    while j < len(text) and (text[j].isspace() or text[j] in _INVISIBLE):
        saw_newline = saw_newline or text[j] in "\n\r\u2028\u2029\x0b\x0c\x85"
        j += 1
    return saw_newline and j < len(text) and text[j].isalpha()


def _pattern(quote: str) -> re.Pattern[str] | None:
    needle, _offsets = _normalise(quote)
    if not needle.strip():
        return None
    # A hyphen inside a word may stand where the text joined a word broken across lines.
    parts = re.split(r"(?<=\w)-(?=\w)", needle)
    body = "-?".join(re.escape(p) for p in parts)
    # Whole words only: "shall" does not stand in "shallow".
    head = r"(?<!\w)" if needle[0].isalnum() else ""
    tail = r"(?!\w)" if needle[-1].isalnum() else ""
    return re.compile(head + body + tail)


def find_quote(text: str, quote: str) -> QuoteMatch | None:
    """Where `quote` stands in `text`, or None; differences of wording are never tolerated."""
    pattern = _pattern(quote)
    if pattern is None or not text:
        return None
    haystack, offsets = _normalise(text)
    found = pattern.search(haystack)
    if found is None:
        return None
    return QuoteMatch(offsets[found.start()], offsets[found.end() - 1] + 1)


# --- archiving: fetch or take an upload, keep its readable text as an immutable copy.


class ArchiveError(Exception):
    """A refused archive; its message is a sentence the person can act on."""


_HTML = frozenset({"text/html", "application/xhtml+xml"})
_PDF = "application/pdf"
_PLAIN = "text/plain"
_REMOVED = ("script", "style", "nav", "header", "footer", "noscript", "template")
# Elements that end a line of reading, so their words never run into the next ones.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main"),
        *("ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul"),
    }
)


def archive_source(source, *, by, data: bytes | None = None, content_type: str | None = None):
    """Archive a copy of `source`: the upload in `data`, or else what its URL serves now."""
    from claims.models import SourceCopy

    limit = settings.COURTINFO_ARCHIVE_MAX_BYTES
    if data is None:
        if not source.url:
            raise ArchiveError(
                f"Source “{source.title}” has no URL; upload a copy of it (HTML, PDF or plain "
                "text) instead."
            )
        url, data, content_type = _fetch(source.url)
    else:
        url = ""
        if len(data) > limit:
            raise ArchiveError(
                f"The file has {len(data):,} bytes, more than the {limit:,} a copy may have; "
                "upload a smaller file (only the part that is cited)."
            )
        content_type = content_type or _sniff(data)
    media_type, charset = _media_type(content_type)
    text = _extract(data, media_type, charset)
    if not text.strip():
        raise ArchiveError(
            f"No readable text was found in the copy of “{source.title}” (a scanned PDF has "
            "none); upload a copy with text in it."
        )
    return SourceCopy.objects.create(
        source=source,
        retrieved_by=by,
        url=url,
        content_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    media_type, _sep, params = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    charset = None
    for param in params.split(";"):
        name, _eq, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    if media_type not in _HTML | {_PDF, _PLAIN}:
        raise ArchiveError(
            f"The copy is of type “{media_type or 'unknown'}”; only HTML, PDF and plain text "
            "can be archived. Upload the document in one of those forms."
        )
    return media_type, charset


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return _PDF
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "text/html"
    return _PLAIN


# --- fetching


def _fetch(url: str) -> tuple[str, bytes, str]:
    """The final URL, body and content type that `url` serves, within the archive's limits."""
    _check_url(url)
    opener = urllib.request.build_opener(
        # No proxy from the environment: the address checks must see where the request goes.
        urllib.request.ProxyHandler({}),
        _CheckedRedirects(),
        _CheckedHTTPHandler(),
        _CheckedHTTPSHandler(),
    )
    # _check_url allowed only http and https, and the redirect handler re-checks each hop.
    request = urllib.request.Request(url, headers={"User-Agent": "courtinfo-archiver/1"})  # noqa: S310
    timeout = settings.COURTINFO_ARCHIVE_TIMEOUT_SECONDS
    limit = settings.COURTINFO_ARCHIVE_MAX_BYTES
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            final_url = response.geturl()
            content_type = response.headers.get("Content-Type", "")
            _media_type(content_type)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(final_url, limit)
            chunks, size = [], 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > limit:
                    raise _too_large(final_url, limit)
                if time.monotonic() > deadline:
                    raise _too_slow(final_url, timeout)
                chunks.append(chunk)
    except ArchiveError:
        raise
    except urllib.error.HTTPError as error:
        raise ArchiveError(
            f"{url} answered {error.code} {error.reason}; check the source's URL or upload a "
            "copy instead."
        ) from None
    except TimeoutError:
        raise _too_slow(url, timeout) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, ArchiveError):
            raise error.reason from None
        if isinstance(error.reason, TimeoutError):
            raise _too_slow(url, timeout) from None
        raise ArchiveError(
            f"{url} could not be reached ({error.reason}); check the source's URL or upload a "
            "copy instead."
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise ArchiveError(
            f"{url} could not be read ({error}); try again later or upload a copy instead."
        ) from None
    return final_url, b"".join(chunks), content_type


def _too_large(url: str, limit: int) -> ArchiveError:
    return ArchiveError(
        f"{url} serves more than {limit:,} bytes, the most a copy may have; upload the part "
        "that is cited instead."
    )


def _too_slow(url: str, timeout: float) -> ArchiveError:
    return ArchiveError(
        f"{url} did not answer within {timeout:g} seconds; try again later or upload a copy "
        "instead."
    )


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ArchiveError(
            f"{url} is not an http or https address; only web pages can be fetched (upload "
            "other copies as files)."
        )
    if not parts.hostname:
        raise ArchiveError(f"{url} names no host; correct the source's URL.")
    if settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except (OSError, UnicodeError):
        raise ArchiveError(
            f"The host of {url} could not be found; check the source's URL."
        ) from None
    for address in addresses:
        _check_address(address, url)


def _check_address(address: str, url: str) -> None:
    if settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS:
        return
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        raise ArchiveError(
            f"{url} is on a private, loopback, link-local or reserved address ({ip}), which is "
            "never fetched; link the public address of the source, or upload a copy instead."
        )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an http or https address on a public host."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _PeerCheck:
    # The address connected to, not only the one first resolved, so a name that resolves
    # differently the second time cannot reach a private host.
    def connect(self):
        super().connect()
        _check_address(self.sock.getpeername()[0], f"http://{self.host}/")


class _CheckedHTTPConnection(_PeerCheck, http.client.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_PeerCheck, http.client.HTTPSConnection):
    pass


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=ssl.create_default_context())


# --- readable text


def _extract(data: bytes, media_type: str, charset: str | None) -> str:
    if media_type == _PDF:
        return _pdf_text(data)
    if media_type in _HTML:
        return _html_text(data, charset)
    return _decode(data, charset)


def _decode(data: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8-sig"):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _html_text(data: bytes, charset: str | None) -> str:
    try:
        if charset:
            tree = lxml.html.document_fromstring(_decode(data, charset))
        else:
            tree = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        raise ArchiveError(
            "The HTML could not be read; save the page as plain text or PDF and upload that."
        ) from None
    for element in list(tree.iter(*_REMOVED)):
        element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    return _tidy(tree.text_content())


def _pdf_text(data: bytes) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:  # pypdf raises many kinds on a damaged or encrypted file.
        raise ArchiveError(
            "The PDF could not be read (damaged or encrypted); upload another copy of it."
        ) from None
    return _tidy("\n\n".join(pages))


def _tidy(text: str) -> str:
    """Lines stripped of edge whitespace; at most one blank line between paragraphs."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- anchors: where a citation's quote stands in a copy, as a W3C TextQuoteSelector.

_CONTEXT = 32
_WORDS = re.compile(r"\w+")


def anchor_quote(text: str, quote: str) -> dict:
    """Where `quote` stands in `text` (exact, prefix, suffix, start, end), or the closest passage.

    The found form follows the Web Annotation TextQuoteSelector, with TextPositionSelector offsets.
    """
    found = find_quote(text, quote)
    if found is None:
        return {"found": False, "closest": closest_passage(text, quote)}
    return {
        "found": True,
        "exact": text[found.start : found.end],
        "prefix": text[max(0, found.start - _CONTEXT) : found.start],
        "suffix": text[found.end : found.end + _CONTEXT],
        "start": found.start,
        "end": found.end,
    }


def closest_passage(text: str, quote: str) -> str:
    """The run of as many words as the quote has that shares most of its words; "" if none."""
    wanted = {w.lower() for w in _WORDS.findall(quote)}
    words = list(_WORDS.finditer(text))
    size = len(_WORDS.findall(quote))
    if not wanted or not words:
        return ""
    hits = [w.group().lower() in wanted for w in words]
    score = best = sum(hits[:size])
    best_start = 0
    for start in range(1, max(1, len(words) - size + 1)):
        score += hits[start + size - 1] - hits[start - 1]
        if score > best:
            best, best_start = score, start
    if not best:
        return ""
    last = words[min(best_start + size, len(words)) - 1]
    return text[words[best_start].start() : last.end()]
