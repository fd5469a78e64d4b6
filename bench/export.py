"""YAML export speed: 10,000 excerpts, ours against a plain CSafeDumper dump of the same records.

    /work/venv/bin/python bench/export.py [--excerpts N] [--repeat R] [--imported N]

Ours includes building the records from the excerpts and choosing every string's style; the
baseline is `yaml.dump(records, Dumper=yaml.CSafeDumper)` of those already built records, with
PyYAML's defaults. Goal (issue 6): ours / baseline <= 1.5. Best of R runs each, interleaved,
so both see the same machine load. Prints figures; asserts nothing.

Then import speed (issue 11): reading back and checking 20,000 annotations from our W3C
JSON-LD export against the same from our YAML export (`read_import`, the format's own work;
the merge into a store after it is the same for both). Goal: W3C / YAML <= 1.5.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tui.config import BUNDLED_SEEDS
from tui.corpus.model import Article, Block
from tui.export.excerpts import select_excerpts
from tui.export.parse import read_import
from tui.export.w3c_format import to_w3c
from tui.export.yaml_format import ExcerptDumper, to_yaml, yaml_document
from tui.store.anchoring import context_around, text_digest
from tui.store.model import Annotation, Tag

EXPORTED = "2026-11-21T12:00:00Z"
TAGS = ["Russia/war aims", "Russia/economy", "China", "Ukraine", "yes", "1e3", "US/tariffs",
        "diplomacy: talks", "sanctions", "Europe/peacekeeping"]  # fmt: skip
NOTES = ["", "", "", "compare with the Davos speech", "null", "two lines\nof note",
         "trailing space \nhere", "👀 check", "עברית"]  # fmt: skip


def seed_articles() -> list[Article]:
    articles = []
    for path in sorted(BUNDLED_SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        blocks, position = [], 0
        for line in text.split("\n"):
            if line.strip():
                blocks.append(Block("paragraph", position, position + len(line)))
            position += len(line) + 1
        articles.append(
            Article(path.stem, text.split("\n", 1)[0], text, tuple(blocks), (), (), (), "Kennan")
        )
    return articles


def make_annotations(articles: list[Article], count: int) -> list[Annotation]:
    """Sentence-to-paragraph sized passages over the seeds, some across paragraph breaks."""
    rng = random.Random(6)
    found = []
    for number in range(count):
        article = articles[number % len(articles)]
        text = article.text
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randrange(20, 400)
        prefix, suffix = context_around(text, start, end)
        when = f"2026-11-{1 + number % 28:02d}T{number % 24:02d}:{number % 60:02d}:00.000000Z"
        found.append(
            Annotation(
                id=f"{rng.getrandbits(128):032x}",
                article=article.id,
                start=start,
                end=end,
                quote=text[start:end],
                prefix=prefix,
                suffix=suffix,
                tags=tuple(rng.sample(TAGS, rng.randrange(0, 4))),
                note=rng.choice(NOTES),
                author=rng.choice(["alice", "bob", "carol"]),
                created=when,
                updated=when,
                text_hash=text_digest(text),
            )
        )
    return found


def plain(value: Any) -> Any:
    """The same records as built-in dicts and lists, which a stock dumper accepts."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def best_of(repeat: int, runs: list[tuple[str, Callable[[], object]]]) -> dict[str, float]:
    best = {name: float("inf") for name, _ in runs}
    for _ in range(repeat):
        for name, run in runs:
            began = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--excerpts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--imported", type=int, default=20_000)
    options = parser.parse_args()

    articles = seed_articles()
    by_id = {article.id: article for article in articles}
    excerpts = select_excerpts(make_annotations(articles, options.excerpts), by_id)
    tags = [Tag(name) for name in sorted(TAGS)]
    records = plain(yaml_document(excerpts, tags, exported=EXPORTED))

    def ours() -> str:
        return to_yaml(excerpts, tags, exported=EXPORTED)

    def baseline() -> str:
        return yaml.dump(records, Dumper=yaml.CSafeDumper)

    output = ours()
    assert yaml.load(output, Loader=yaml.CSafeLoader) == records  # same content, or no contest
    times = best_of(options.repeat, [("ours", ours), ("baseline", baseline)])
    print(f"excerpts:                       {len(excerpts):,}")
    print(f"YAML size (ours):               {len(output.encode()):,} bytes")
    print(f"dumper (ours):                  {ExcerptDumper.__mro__[1].__name__}")
    print(f"ours: records + styled dump     {times['ours'] * 1000:8.1f} ms")
    print(f"baseline: yaml.dump CSafeDumper {times['baseline'] * 1000:8.1f} ms")
    print(
        f"ratio ours / baseline           {times['ours'] / times['baseline']:8.2f}  (goal <= 1.5)"
    )

    import_figures(articles, options.imported, options.repeat)


def import_figures(articles: list[Article], count: int, repeat: int) -> None:
    """W3C import against YAML import of the same annotations, both read with `read_import`."""
    by_id = {article.id: article for article in articles}
    excerpts = select_excerpts(make_annotations(articles, count), by_id)
    tags = [Tag(name) for name in sorted(TAGS)]
    with tempfile.TemporaryDirectory() as folder:
        yaml_path = Path(folder) / "export.yaml"
        w3c_path = Path(folder) / "export.jsonld"
        yaml_path.write_text(to_yaml(excerpts, tags, exported=EXPORTED), encoding="utf-8")
        w3c_path.write_text(to_w3c(excerpts, exported=EXPORTED), encoding="utf-8")
        read = {"yaml": read_import(yaml_path), "w3c": read_import(w3c_path)}
        assert len(read["yaml"].annotations) == len(read["w3c"].annotations) == len(excerpts)
        times = best_of(
            repeat,
            [("yaml", lambda: read_import(yaml_path)), ("w3c", lambda: read_import(w3c_path))],
        )
        sizes = {
            kind: path.stat().st_size for kind, path in (("yaml", yaml_path), ("w3c", w3c_path))
        }
    print(f"imported annotations:           {len(excerpts):,}")
    print(f"YAML / W3C size:                {sizes['yaml']:,} / {sizes['w3c']:,} bytes")
    print(f"import YAML (baseline)          {times['yaml'] * 1000:8.1f} ms")
    print(f"import W3C JSON-LD              {times['w3c'] * 1000:8.1f} ms")
    print(f"ratio W3C / YAML                {times['w3c'] / times['yaml']:8.2f}  (goal <= 1.5)")


if __name__ == "__main__":
    main()
