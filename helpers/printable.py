"""Text from data and paths made safe to show in a message (printable) and in Markdown (escape_markdown, and address_link for a web
address a reader may open; markdown_to_plain undoes both)."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, urlsplit

LIMIT = 200
# Shown escaped (\x1b, \u202e, \udcff): control characters (an ANSI escape sequence starts with one), format characters (bidi controls,
# zero-width characters, byte order mark), surrogates (bytes of a file name that are not text), separators, private and unassigned points.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"}
_SUSPECT = re.compile(r"[^\x20-\x7e]")


def _escape(character: str) -> str:
    if unicodedata.category(character) not in _HIDDEN_CATEGORIES:
        return character
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: object, limit: int = LIMIT) -> str:
    """text as a message may show it: at most limit characters (and a note), hidden characters made visible."""
    text = str(text)
    visible = _SUSPECT.sub(lambda m: _escape(m.group()), text[:limit])
    return f"{visible}... (cut: {len(text):,} characters in all)" if len(text) > limit else visible


# Explicit bidi formatting characters (marks, embeddings, overrides, isolates): from data, shown escaped (\u202e), never obeyed.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A right-to-left letter or Arabic digit: text holding one is set apart in a first-strong isolate (FSI ... PDI), the plain-text
# twin of HTML's <bdi>, so that it keeps its own order without taking the words and numbers round it into it.
_RIGHT_TO_LEFT = {"R", "AL", "AN"}
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolated(text: str) -> str:
    """Text from data as it may stand among the package's words: bidi controls shown escaped, right-to-left text isolated, so that
    nothing in a cell can reorder what stands round it. Text in left-to-right scripts is returned as it is."""
    text = _BIDI_CONTROLS.sub(lambda m: _escape(m.group()), text)
    if any(unicodedata.bidirectional(character) in _RIGHT_TO_LEFT for character in text):
        return FIRST_STRONG_ISOLATE + text + POP_DIRECTIONAL_ISOLATE
    return text


# Characters that could start markup inside a sentence: emphasis, code, links,
# images, HTML, tables, math. Escaped, they print as themselves.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|!~])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#|!~])")
# What a Markdown renderer would turn into a link or math although no markup asks for it: bare URLs and
# e-mail addresses (GFM autolinks in JupyterLab's marked, nbconvert's mistune url plugin) and $...$.
# Written as HTML character references they show as the same characters, but match no pattern.
_AUTOLINKED = {"$": "&#36;", "@": "&#64;", "://": "&#58;//", "www.": "www&#46;"}
_AUTOLINK = re.compile("|".join(re.escape(k) for k in _AUTOLINKED), re.IGNORECASE)
# MathJax typesets $...$ and \(...\) in the page's text after Markdown is rendered; text holding those
# characters is wrapped in a span MathJax skips (tex2jax_ignore in MathJax 2, mathjax_ignore in 3).
NO_MATH = '<span class="tex2jax_ignore mathjax_ignore">'


def escape_markdown(text: object) -> str:
    """Text from data, made inert in Markdown: no markup, no links, no math, no HTML, no line breaks."""
    raw = str(text)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(raw, quote=False)).replace("\r", " ").replace("\n", " ")
    escaped = _AUTOLINK.sub(lambda m: _AUTOLINKED.get(m.group(), m.group()[:3] + "&#46;"), escaped)
    return f"{NO_MATH}{escaped}</span>" if "$" in raw or "\\" in raw else escaped


# A link to an address from the data: only to these schemes, never telling the site opened where the reader came from, nor vouching for it.
LINK_SCHEMES = ("http", "https")
LINK_REL = "noopener noreferrer nofollow"
# Kept as they are in a link's target; every other character is percent-encoded (spaces, quotes, < >, parentheses, backslashes,
# non-ASCII letters), so that the target can close neither its attribute nor the Markdown round it. '%' stays: the address's own escapes.
_TARGET_SAFE = "/:?#[]@!$&*+,;=%~-._"
_ADDRESS_LINK = re.compile(f'<a class="address" href="[^"]*" rel="{LINK_REL}">(.*?)</a>')


def address_link(address: str) -> str:
    """A web address from the data (a source's url or a stored copy) in Markdown: a link a reader can open when it is an http or https
    address with a host and no space or hidden character, its text the address escaped (escape_markdown); anything else, text as inert
    as any data, its bidi controls shown escaped (isolated)."""
    try:
        parts = urlsplit(address)
    except ValueError:  # an unclosed "[" in the host
        parts = None
    hidden = any(c.isspace() or unicodedata.category(c) in _HIDDEN_CATEGORIES for c in address)
    if parts is None or parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc or hidden:
        return escape_markdown(isolated(address))
    target = html.escape(quote(address, safe=_TARGET_SAFE))
    return f'<a class="address" href="{target}" rel="{LINK_REL}">{escape_markdown(address)}</a>'


def markdown_to_plain(markdown: str) -> str:
    """The plain-text twin of Markdown whose data escape_markdown escaped (an address_link: its address): escapes removed."""
    text = _ADDRESS_LINK.sub(r"\1", markdown)
    return html.unescape(_ESCAPED.sub(r"\1", text.replace(NO_MATH, "").replace("</span>", "")))
