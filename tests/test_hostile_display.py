"""Strings from data never drive the terminal: every field, every screen, the CLI, exports.

Hostile values go into the store as a hostile group member would put them there: a line
appended to the journal (the store may refuse such names through its API; the file cannot).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import orjson
import pytest
from test_app_support import make_app, seed_articles, sync
from textual.strip import Strip

from tui.app import terminal_guard
from tui.app.reader import ReaderApp
from tui.cli import main
from tui.corpus.model import Article, Block
from tui.export.formats import FORMATS
from tui.inert import UNSAFE, inert, inert_cells, is_inert
from tui.store import AnnotationStore

OSC = "\x1b]2;HACKED\x07"
CSI = "\x1b[31m"
BIDI = "\u202eevil\u202c\u2067iso\u2069"
HOSTILE = f"a{OSC}b{CSI}c\x00\x08\x7f\x85\x9b{BIDI}\u200dz[bold]x[/][@click=app.quit]y[/]"
LONG = "w" * 10_000 + OSC
TAG = f"tag{OSC}{CSI}\u202e"
AUTHOR = f"mallory{OSC}\u202e"
TEXT = f"Before {OSC} the {CSI}red\x1b[0m and \u202eover\u202c words.\nSecond line {HOSTILE}."
ARTICLE_ID = "hostile"
TEXTUAL_CSI = re.compile(r"\x1b\[[0-9;:?<>]*[ -/]*[@-~]")


def hostile_article() -> Article:
    blocks = (
        Block("paragraph", 0, TEXT.index("\n")),
        Block("paragraph", TEXT.index("\n") + 1, len(TEXT)),
    )
    sentences = tuple((b.start, b.end) for b in blocks)
    return Article(ARTICLE_ID, f"Title {HOSTILE}", TEXT, blocks, sentences, (), ())


def hostile_store(db: Path) -> None:
    """A store holding hostile strings in every field a user or a group member can set."""
    article = hostile_article()
    store = AnnotationStore(db, "alice")
    store.create_tag("placeholder")
    made = store.add(ARTICLE_ID, 0, 30, article.text, ["placeholder"], note="n")
    store.flush()
    record = orjson.loads(db.with_name(db.name + ".journal").read_bytes().splitlines()[-1])
    doc = record["ops"][0][2]
    doc.update(author=AUTHOR, tags=[TAG], note=f"{HOSTILE}\n{LONG}")
    ops = [
        ["tags", TAG, {"name": TAG, "color": "red", "key": 2, "description": HOSTILE}],
        ["annotations", made.id, doc],
        [
            "articles",
            ARTICLE_ID,
            {
                "title": f"T {HOSTILE}",
                "source": f"S {HOSTILE}",
                "author": f"A {HOSTILE}",
                "date": f"D {OSC}",
                "url": f"https://x/{OSC}",
                "updated": doc["updated"],
                "by": AUTHOR,
            },
        ],
    ]
    with db.with_name(db.name + ".journal").open("ab") as journal:
        journal.write(orjson.dumps({"ops": ops}) + b"\n")


def drawn(app: ReaderApp) -> str:
    """What the terminal is sent for the whole screen, Textual's own CSI sequences taken out."""
    update = app.screen._compositor.render_update(full=True)
    return TEXTUAL_CSI.sub("", update.render_segments(app.console))


def assert_inert(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output
    assert UNSAFE.search(output.replace("\n", "")) is None, repr(UNSAFE.search(output))


def test_a_quote_in_a_list_row_keeps_its_words_and_nothing_a_terminal_obeys() -> None:
    from tui.inert import inert_words

    assert inert_words(f"evil{CSI}\u202equote\n  next\tline\u2028end") == (
        "evil [31m quote next line end"
    )
    assert is_inert(inert_words(HOSTILE)) and "\n" not in inert_words(TEXT)
    assert inert_words("\u0627\u200f\u0628 👩\u200d💻") == "\u0627\u200f\u0628 👩\u200d💻"


def test_the_rule_shows_what_it_replaces_one_for_one() -> None:
    assert inert(OSC) == "␛]2;HACKED␇"
    assert inert("a\nb\tc") == "a␊b␉c" and inert("a\nb\tc", multiline=True) == "a\nb\tc"
    assert inert_cells("a\tb\x1b") == "a b␛"
    for text in (HOSTILE, LONG, TEXT, "\ud800x"):
        assert len(inert(text)) == len(text) and is_inert(inert(text))
    assert not is_inert(HOSTILE)
    # Marks and joiners that real Arabic, Hebrew and emoji need are kept.
    assert inert("\u200f\u200e\u061c\u200d") == "\u200f\u200e\u061c\u200d"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    hostile_store(path)
    return path


SCREENS = [
    ["a"],  # annotations list, by tag: tag, quote, note, author
    ["a", "tab"],  # by article: the article's title
    ["c"],  # codebook: tag name and description
    ["r"],  # cleaning report: the title in the border
    ["e"],  # export dialog: tags and titles in its lists
    ["o"],  # article picker: title and source
    ["f"],  # tag picker to focus a tag
    ["t"],  # tag picker with the quoted passage
    ["question_mark"],
    ["ctrl+p"],  # palette: an article command per title
]
EDITORS = [["i"], ["m"]]  # a value being edited stays itself: the guard alone keeps it inert


def unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw without the last guard, to see that each screen made its data inert itself."""
    monkeypatch.setattr(terminal_guard, "guard_terminal", lambda: None)
    monkeypatch.setattr(Strip, "render", terminal_guard._textual_render)


def reader(db: Path) -> ReaderApp:
    # The hostile author is a group member: the store refuses such a name for its own user.
    return make_app(db, articles=(hostile_article(), seed_articles()[0]), user="alice")


@pytest.mark.parametrize("guard", [True, False], ids=["guarded", "screens-alone"])
@sync
async def test_every_screen_shows_hostile_data_as_stand_ins(
    db: Path, guard: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not guard:
        unguarded(monkeypatch)
    app = reader(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert_inert(drawn(app))
        assert "␛]2;HACKED␇" in drawn(app)  # the pane title and the status line
        for keys in SCREENS + (EDITORS if guard else []):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.is_running and len(app.screen_stack) == 2, keys
            assert_inert(drawn(app))
            if keys not in (["question_mark"], ["ctrl+p"], ["f"], *EDITORS):
                assert "␛" in drawn(app), keys
            while len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("f", *"tag", "enter")  # focus the hostile tag: the focus bar names it
        await pilot.pause()
        assert len(app.screen_stack) == 1 and "tag␛]2;HACKED␇␛[31m" in drawn(app)
        assert_inert(drawn(app))
        app.notify(f"Not found: {OSC}", title=TAG, markup=False)  # every toast: one choke
        await pilot.pause()
        toast = list(app._notifications)[-1]
        assert (toast.message, toast.title) == ("Not found: ␛]2;HACKED␇", inert(TAG))


@sync
async def test_a_garbage_journal_line_is_a_message_not_an_exit(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    AnnotationStore(db, "alice").create_tag("placeholder")
    AnnotationStore(db, "alice").flush()
    app = make_app(db)
    # The toasts are read at the end: on a loaded machine the keys take longer than a toast
    # lives, and an expired toast leaves `_notifications`.
    app.NOTIFICATION_TIMEOUT = 600
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        with db.with_name(db.name + ".journal").open("ab") as journal:
            journal.write(b"this is {not json\n")
        palette = [["ctrl+p", *"export annotations", "enter"], ["ctrl+p", *"open article", "enter"]]
        keys = [[key] for key in "eacftmxiuU1or"] + [["space"], ["j", "v", "j", "t"]] + palette
        for sequence in keys:
            await pilot.press(*sequence)
            await pilot.pause()
            assert app.is_running, sequence
            while len(app.screen_stack) > 1:
                await pilot.press("escape")
                await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and all("not valid JSON" in n.message for n in errors)
    assert app.return_code in (None, 0)


def test_cli_output_and_errors_are_inert(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(f"Title {BIDI}\n\nBody {CSI}red{OSC} and {BIDI} words, long enough.\n")
    commands = [
        ["list"],
        ["list", "--anchors"],
        ["tags"],
        ["article", ARTICLE_ID],
        ["clean", str(raw)],
        ["clean", "--report", str(raw)],
    ]
    for command in commands:
        main(["--db", str(db), "--user", "bob", *command])
        out, err = capsys.readouterr()
        assert_inert(out + err)
        assert (out + err).strip(), command
    # JSON stays JSON: orjson escapes C0 itself; a raw bidi override becomes a stand-in.
    for command in (["list", "--json"], ["tags", "--json"], ["clean", "--json", str(raw)]):
        main(["--db", str(db), "--user", "bob", *command])
        out, err = capsys.readouterr()
        assert_inert(out + err)
        assert orjson.loads(out)
    main(["--db", str(db), "--user", "bob", "article", f"nope{OSC}"])
    out, err = capsys.readouterr()
    assert "]2;HACKED" in err
    assert_inert(out + err)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_export_format_holds_no_raw_control(
    db: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["--db", str(db), "--user", "bob", "export", "--format", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    if fmt == "refi":
        with zipfile.ZipFile(out) as project:
            data = b"".join(project.read(name) for name in project.namelist())
    else:
        data = out.read_bytes()
    text = data.decode("utf-8", errors="replace")
    assert_inert(text.replace("\r", "").replace("\t", ""))
