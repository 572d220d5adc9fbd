"""The README's finding is the headline the package generates from the bundled data, word for word, with its note."""

from __future__ import annotations

import re
import textwrap

from helpers import text, views
from helpers.dataset import PROJECT_ROOT


def test_readme_headline_is_generated_from_the_data(article):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- headline:[^\n]*-->\n(.*?)\n<!-- /headline -->", readme, re.S)
    assert block, "README has no headline block"
    generated = text.headline(
        views.by_side(article),
        views.conflict_share(article),
        views.conflict_totals(article),
        article.figures,
        article.dataset.sources,
        article.source_id,
    )
    note = text.describe_readings(article.figures, article.dataset.sources)
    expected = [text.markdown_to_plain(part) for part in (generated, note) if part]
    assert " ".join(block.group(1).split()) == " ".join(" ".join(expected).split()), (
        "README's headline is out of date; replace it with:\n" + "\n\n".join(textwrap.fill(part, 78) for part in expected)
    )
