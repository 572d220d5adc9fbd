"""Text from data and paths, made safe to print in a message: short, and with what a terminal would hide shown.

Control characters (ANSI escape sequences start with one), bidirectional controls and
zero-width characters are shown as \\x1b, \\u202e, \\u200b; bytes a file name holds
that are not text (Python keeps them as surrogates) as \\udcff. Long text is cut to
LIMIT characters with a note of how long it was.
"""

from __future__ import annotations

import re
import unicodedata

LIMIT = 200

# Cc: control characters; Cf: format characters (bidi controls, zero-width space and joiners,
# byte order mark); Cs: surrogates (undecodable bytes); Zl, Zp: line and paragraph separators.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"}
_SUSPECT = re.compile(r"[^\x20-\x7e]")


def _escape(character: str) -> str:
    if unicodedata.category(character) not in _HIDDEN_CATEGORIES:
        return character
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: object, limit: int = LIMIT) -> str:
    """text as a message may show it: at most limit characters (and a note), hidden characters made visible."""
    text = str(text)
    length = len(text)
    visible = _SUSPECT.sub(lambda m: _escape(m.group()), text[:limit])
    return f"{visible}... (cut: {length:,} characters in all)" if length > limit else visible


def quoted(text: object, limit: int = LIMIT) -> str:
    """shown(text) between single quotes, as messages quote values."""
    return f"'{shown(text, limit)}'"
