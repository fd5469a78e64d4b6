"""SVG snapshots of the analysis screen's three views at 80x24, on the hand-counted fixture.

Update with `pytest tests/test_analysis_snapshots.py --snapshot-update` after checking them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_analysis_screen import Host
from test_analysis_support import build


@pytest.mark.parametrize(
    "keys",
    [[], ["m"], ["m", "g", "g"], ["c"]],
    ids=["frequencies", "matrix", "matrix-by-outlet", "cooccurrence"],
)
def test_analysis_views(snap_compare, tmp_path: Path, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(Host(build(tmp_path)), press=keys, terminal_size=(80, 24))
