"""Issue 11 items 3, 5, 6, 7 and 9: what an import file may not do to us.

A FIFO named as an import blocks nobody; a number too large for the store is refused with a
line, not a TypeError; a UTF-16 `.qdc` cannot smuggle entities past the check; a time in the
future cannot win every later merge; W3C line numbers are still right after one pass.
"""

from __future__ import annotations

import json
import os
import threading
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.errors import UserError
from tui.export.codebook import read_codebook
from tui.export.importer import import_file
from tui.export.parse import read_import
from tui.store import AnnotationStore

YAML_HEAD = "format: marginalia-excerpts/1\narticles:\n- id: art\n  excerpts:\n"
YAML_EXCERPT = "  - id: abc\n    quote: Hello\n    start: 0\n    end: 5\n"
HUGE = "100000000000000000000000000000"


def _w3c(start: str = "0", end: str = "5", modified: str = "2025-03-01T10:00:00Z") -> str:
    return (
        '{"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": [\n'
        '{"type": "Annotation", "id": "urn:uuid:0000000000000000000000000000abcd",\n'
        ' "target": {"source": "urn:marginalia:article:art", "selector": [\n'
        '   {"type": "TextQuoteSelector", "exact": "Hello"},\n'
        f'   {{"type": "TextPositionSelector", "start": {start}, "end": {end}}}]}},\n'
        f' "created": "2025-03-01T10:00:00Z", "modified": "{modified}"}}]}}}}\n'
    )


def _import(tmp_path: Path, name: str, content: str | bytes) -> str:
    """The one-line message an import of `content` is refused with; the store untouched."""
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    store = AnnotationStore(tmp_path / "store.json", "alice")
    with pytest.raises(UserError) as caught:
        import_file(path, store, lambda a: "Hello world")
    assert not store.path.exists()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def _finishes(work: Callable[[], object], fifo: Path) -> BaseException | None:
    """Run `work` in a thread; if it hangs on the FIFO, a writer frees it and the test fails."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # release the reader, then fail
        os.close(fd)
        thread.join(timeout=10)
        pytest.fail(f"reading {fifo} blocked")
    return outcome[0]


@pytest.mark.parametrize("name", ["pipe.yaml", "pipe.jsonld", "codebook.yaml", "codebook.qdc"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    if name.startswith("codebook"):
        error = _finishes(lambda: read_codebook(fifo), fifo)
    else:
        error = _finishes(lambda: read_import(fifo), fifo)
    assert isinstance(error, UserError)
    assert str(error) == f"{fifo}: not a regular file; nothing was imported"


@pytest.mark.parametrize(
    ("field", "content"),
    [
        ("end", YAML_HEAD + YAML_EXCERPT.replace("end: 5", f"end: {HUGE}")),
        ("start", YAML_HEAD + YAML_EXCERPT.replace("start: 0", f"start: {HUGE}")),
        ("paragraph", YAML_HEAD + YAML_EXCERPT + f"    paragraph: {HUGE}\n"),
        ("start", YAML_HEAD + YAML_EXCERPT.replace("start: 0", "start: -1")),
    ],
)
def test_yaml_numbers_out_of_range_are_refused_with_their_line(
    tmp_path: Path, field: str, content: str
) -> None:
    message = _import(tmp_path, "big.yaml", content)
    assert f"`{field}` must be a whole number from" in message
    assert message.endswith("; nothing was imported")


@pytest.mark.parametrize(("start", "end"), [("0", HUGE), (HUGE, HUGE), ("0", "1e30")])
def test_w3c_selector_positions_out_of_range_are_refused(
    tmp_path: Path, start: str, end: str
) -> None:
    message = _import(tmp_path, "big.jsonld", _w3c(start, end))
    assert "line 2:" in message and "must be a whole number from" in message


def test_the_largest_accepted_offset_still_writes(tmp_path: Path) -> None:
    # In range but not in the article: anchored by its quote, and stored without a TypeError.
    path = tmp_path / "far.yaml"
    path.write_text(YAML_HEAD + YAML_EXCERPT.replace("end: 5", "end: 1000000000"), "utf-8")
    store = AnnotationStore(tmp_path / "store.json", "alice")
    import_file(path, store, lambda a: "Hello world")
    assert AnnotationStore(store.path, "bob").get("abc") is not None


@pytest.mark.parametrize("stamp", ["9999-12-31", "9999-12-31T23:00:00-01:00", "2999-01-01T00:00Z"])
def test_a_time_in_the_future_is_refused(tmp_path: Path, stamp: str) -> None:
    message = _import(tmp_path, "f.yaml", YAML_HEAD + YAML_EXCERPT + f"    updated: '{stamp}'\n")
    assert "line 9: `updated`" in message and "in the future" in message
    message = _import(tmp_path, "f.jsonld", _w3c(modified=stamp))
    assert "`modified`" in message and "in the future" in message


def test_a_clock_a_few_hours_ahead_is_allowed(tmp_path: Path) -> None:
    ahead = (datetime.now(UTC) + timedelta(hours=14)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "ahead.yaml"
    path.write_text(YAML_HEAD + YAML_EXCERPT + f"    updated: '{ahead}'\n", "utf-8")
    assert read_import(path).annotations[0].updated == ahead


def _entity_bomb(levels: int = 7, fan: int = 10) -> str:
    entities = ['<!ENTITY e0 "lol lol lol lol lol lol lol lol">']
    for level in range(1, levels):
        entities.append(f'<!ENTITY e{level} "{f"&e{level - 1};" * fan}">')
    body = "\n".join(entities)
    return (
        f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE CodeBook [\n{body}\n]>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="1" name="x" isCodable="true"><Description>&e{levels - 1};</Description>'
        "</Code></Codes></CodeBook>\n"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8"])
def test_an_entity_bomb_in_any_encoding_is_refused_in_little_memory(
    tmp_path: Path, encoding: str
) -> None:
    text = _entity_bomb()
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        raw = text.replace('encoding="UTF-16"', f'encoding="{encoding.upper()}"').encode(encoding)
    assert b"<!DOCTYPE" not in raw or encoding == "utf-8"  # what the old byte search missed
    path = tmp_path / "bomb.qdc"
    path.write_bytes(raw)
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as caught:
            read_codebook(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "DOCTYPE or ENTITY" in message
    assert peak < 5_000_000  # expanded, the description would be 32 million characters


def test_w3c_lines_are_found_for_every_item_in_one_pass(tmp_path: Path) -> None:
    items = []
    for number in range(3):
        items.append(
            {
                "type": "Annotation",
                "id": f"urn:uuid:{number:032x}",
                "target": {
                    "source": "urn:marginalia:article:art",
                    "selector": [{"type": "TextQuoteSelector", "exact": "Hello"}],
                },
            }
        )
    items[2]["target"]["source"] = "urn:marginalia:article:"  # the third is bad: its line is named
    text = json.dumps({"type": "AnnotationPage", "items": items}, indent=1)
    expected = text[: text.index(json.dumps(items[2]["id"]))].count("\n") + 1
    message = _import(tmp_path, "lines.jsonld", text)
    assert f": line {expected}: annotation 3" in message
