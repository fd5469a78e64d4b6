"""Codebook files: our YAML and REFI-QDA `.qdc`, validated, round-tripped, stable, refused
cleanly when malformed; and the starter codebook itself."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.color import Color

from tui.corpus.model import Article
from tui.errors import UserError
from tui.export.codebook import (
    STARTER_CODEBOOK,
    codebook_qdc,
    codebook_yaml,
    read_codebook,
    read_qdc,
    write_codebook,
)
from tui.export.colors import ANSI_HEX, ansi_hex, color_from_hex
from tui.export.excerpts import Excerpt
from tui.export.refi_format import guid, to_qdpx
from tui.store.model import Annotation, Tag
from tui.store.store import PALETTE

# The REFI-QDA 1.0 schema, copied from ../shared/refi-qda so the tests run wherever the
# checkout sits.
CODEBOOK_XSD = Path(__file__).resolve().parent / "schemas" / "Codebook.xsd"
TAGS = [
    Tag("Russia/war aims", "ansi_bright_red", 1, "What Moscow wants"),
    Tag("Russia/economy", "ansi_red", None, ""),
    Tag("NATO", "#12ab9f", 2, 'Line one\nline two: "quoted" & <tagged>'),
    Tag("Deep/er/still", "ansi_cyan", None, "three levels"),
    Tag("Deep", "ansi_green", 3, "a parent that is a tag too"),
    Tag("yes", "", None, "a name YAML 1.1 would read as true"),
]


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(CODEBOOK_XSD))


def by_name(tags: tuple[Tag, ...] | list[Tag]) -> dict[str, Tag]:
    return {tag.name: tag for tag in tags}


def test_yaml_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    write_codebook(path, TAGS)
    assert by_name(read_codebook(path)) == by_name(TAGS)
    assert path.read_text(encoding="utf-8").startswith("format: marginalia-codebook/1\n")


def test_qdc_is_valid_against_the_refi_codebook_schema(
    tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    path = tmp_path / "book.qdc"
    write_codebook(path, TAGS)
    schema.validate(str(path))
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_qdc_nests_codes_and_marks_implied_parents_not_codable() -> None:
    root = ET.fromstring(codebook_qdc(TAGS))
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    russia = root.find("q:Codes/q:Code[@name='Russia']", ns)
    assert russia is not None and russia.get("isCodable") == "false"
    assert [c.get("name") for c in russia.findall("q:Code", ns)] == ["economy", "war aims"]
    aims = russia.find("q:Code[@name='war aims']", ns)
    assert aims.get("color") == ANSI_HEX["ansi_bright_red"] == "#F14C4C"
    assert aims.get("guid") == guid("code", "Russia/war aims")
    assert aims.find("q:Description", ns).text == "What Moscow wants"
    deep = root.find("q:Codes/q:Code[@name='Deep']", ns)
    assert deep.get("isCodable") == "true"
    assert deep.find("q:Code[@name='er']", ns).get("isCodable") == "false"


def test_qdc_round_trip_keeps_names_colours_descriptions_not_keys(tmp_path: Path) -> None:
    path = tmp_path / "book.qdc"
    write_codebook(path, TAGS)
    back = by_name(read_qdc(path))
    assert set(back) == {t.name for t in TAGS}  # implied parents add no tags
    for tag in TAGS:
        expected = tag.color.lower() if tag.color.startswith("#") else tag.color
        assert back[tag.name] == Tag(tag.name, expected, None, tag.description)


def test_re_export_is_byte_identical_in_any_order(tmp_path: Path) -> None:
    for suffix in ("yaml", "qdc"):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        write_codebook(first, TAGS)
        write_codebook(second, list(reversed(TAGS)))
        assert first.read_bytes() == second.read_bytes()
        write_codebook(second, read_codebook(first))  # out, in, out again: same bytes
        assert first.read_bytes() == second.read_bytes()


def test_qdc_guids_are_those_of_the_qdpx_export(tmp_path: Path) -> None:
    annotation = Annotation(
        id="a" * 32, article="art", start=0, end=5, quote="Putin", tags=("Russia/war aims",)
    )
    article = Article("art", "T", "Putin said", (), (), (), ())
    excerpt = Excerpt(annotation, "T", None, 1, article)
    qdpx = to_qdpx([excerpt], TAGS, exported="2026-11-21T12:00:00Z")
    with zipfile.ZipFile(io.BytesIO(qdpx.data)) as archive:
        project = archive.read("project.qde").decode()
    qdc = codebook_qdc(TAGS).decode()
    for path in ("Russia", "Russia/war aims"):
        assert f'guid="{guid("code", path)}"' in project
        assert f'guid="{guid("code", path)}"' in qdc
    assert 'color="#F14C4C"' in project  # bright red stays bright in the project too


@pytest.mark.parametrize("name", sorted(ANSI_HEX))
def test_every_ansi_colour_survives_hex_and_back(name: str) -> None:
    assert color_from_hex(ANSI_HEX[name]) == name
    assert ansi_hex(name) == ansi_hex(name.removeprefix("ansi_")) == ANSI_HEX[name]


def test_other_hex_colours_are_kept_and_short_ones_expanded() -> None:
    assert color_from_hex("#ABC") == "#aabbcc"
    assert color_from_hex("#123456") == "#123456"
    assert color_from_hex("red") is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("format: marginalia-codebook/1\ncodebook:\n- name: A\n  key: 0\n", "line 4: `key`"),
        ("format: marginalia-codebook/1\ncodebook:\n- name: A\n  colour: red\n", "line 4: unknown"),
        ("format: marginalia-codebook/1\ncodebook:\n- name: A\n- name: A\n", "line 4: the tag 'A'"),
        (
            "format: marginalia-codebook/1\ncodebook:\n- {name: A, key: 2}\n- {name: B, key: 2}\n",
            "line 4: key 2 is given to both 'A' and 'B'",
        ),
        ("format: marginalia-codebook/1\ncodebook:\n- name: 'A//B'\n", "line 3: tag name"),
        ("format: marginalia-codebook/1\ncodebook:\n- name: [A\n", "line 4: not valid YAML"),
        ("format: something-else\ncodebook: []\n", "line 1: not a marginalia codebook"),
        ("format: marginalia-codebook/1\n", "no `codebook:`"),
        (
            "format: marginalia-codebook/1\ncodebook:\n- name: !!python/object:os.system A\n",
            "line 3: the YAML tag '!!python/object:os.system'",
        ),
        ("", "the file is empty"),
    ],
)
def test_malformed_yaml_codebook_names_file_line_and_problem(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<CodeBook", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "DOCTYPE"),
        (b"<CodeBook><Codes/></CodeBook>", "not a REFI-QDA codebook"),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" isCodable="true"'
            b' name="A" color="blue"/></Codes></CodeBook>',
            "color 'blue' is not #RRGGBB",
        ),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" isCodable="true"'
            b' name=" "/></Codes></CodeBook>',
            "has no name",
        ),
    ],
)
def test_malformed_qdc_is_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "book.qdc"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_codebook(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)


def test_a_qdc_from_another_tool_imports_its_codes_as_a_tree(tmp_path: Path) -> None:
    path = tmp_path / "other.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">'
        '<Codes><Code guid="{6A2B1C55-0000-4000-8000-000000000001}" name="Economy"'
        ' isCodable="true" color="#F5F543"><Description>money</Description>'
        '<Code guid="6a2b1c55-0000-4000-8000-000000000002" name=" Oil " isCodable="true"/>'
        "</Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    assert read_codebook(path) == (
        Tag("Economy", "ansi_bright_yellow", None, "money"),
        Tag("Economy/Oil", "", None, ""),
    )


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.yaml, \.yml .* or \.qdc"):
        write_codebook(tmp_path / "book.txt", TAGS)


def test_the_starter_codebook_is_usable_in_every_terminal() -> None:
    tags = read_codebook(STARTER_CODEBOOK)
    names = [tag.name for tag in tags]
    for expected in (
        "Russia/war aims",
        "Economic leverage/sanctions",
        "Security guarantees",
        "NATO",
        "Russia-China ties",
        "Costs of war",
        "Negotiating positions/US",
    ):
        assert expected in names
    assert all(tag.description for tag in tags)
    colors = [tag.color for tag in tags]
    # 16-colour names only, the ones the store hands out, each used once (so all distinct),
    # and never black or white, which disappear on a dark or a light theme.
    assert set(colors) <= set(PALETTE) and len(set(colors)) == len(colors)
    assert all(Color.parse(color).ansi is not None for color in colors)
    keys = [tag.key for tag in tags if tag.key is not None]
    assert sorted(keys) == list(range(1, 10))
    assert codebook_yaml(tags) == codebook_yaml(read_codebook(STARTER_CODEBOOK))


def test_a_qdc_nested_thousands_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.qdc"
    code = '<Code guid="6a2b1c55-0000-4000-8000-000000000001" name="x" isCodable="true">'
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + code * 5000
        + "</Code>" * 5000
        + "</Codes></CodeBook>",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="nested deeper than 32 levels"):
        read_codebook(path)


_TEXT = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Cn"))
_PART = (
    st.text(_TEXT, min_size=1, max_size=12).map(lambda s: s.replace("/", "|").strip()).filter(bool)
)
_COLOR = st.sampled_from(["", *ANSI_HEX, "#a1b2c3"])
_DESCRIPTION = st.text(st.one_of(_TEXT, st.sampled_from("\n\t ")), max_size=40)


@st.composite
def codebooks(draw: st.DrawFn) -> list[Tag]:
    paths = draw(st.lists(st.lists(_PART, min_size=1, max_size=3), max_size=8))
    names = list(dict.fromkeys("/".join(path) for path in paths))
    keys = draw(st.permutations(range(1, 10)))
    return [
        Tag(
            name,
            draw(_COLOR),
            keys[i] if i < 9 and draw(st.booleans()) else None,
            draw(_DESCRIPTION),
        )
        for i, name in enumerate(names)
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tags=codebooks())
def test_any_codebook_the_store_can_hold_round_trips(tmp_path: Path, tags: list[Tag]) -> None:
    yaml_path, qdc_path = tmp_path / "book.yaml", tmp_path / "book.qdc"
    write_codebook(yaml_path, tags)
    assert by_name(read_codebook(yaml_path)) == by_name(tags)
    write_codebook(qdc_path, tags)
    back = by_name(read_codebook(qdc_path))
    assert set(back) == {tag.name for tag in tags}  # parents only implied by a path add none
    for tag in tags:
        color = tag.color.lower() if tag.color.startswith("#") else tag.color
        assert back[tag.name] == Tag(tag.name, color, None, tag.description)
