"""`marginalia` with no command: open the reader on the workspace's corpus and store.

Everything that can fail because of the user's files (no articles, an unreadable store) is
checked before the terminal is taken over, so the message lands in a normal shell and the exit
code is 2.
"""

from __future__ import annotations

import argparse

from tui.commands.common import space_of
from tui.config import starter_codebook
from tui.errors import UserError


def run_reader(args: argparse.Namespace) -> int:
    from tui.corpus.live_corpus import LiveCorpus
    from tui.store import AnnotationStore

    space = space_of(args)
    if not space.corpus.is_dir():
        raise UserError(f"{space.corpus}: no such folder of articles")
    # Listed from the index, not loaded: only the articles on screen are cleaned before the
    # first frame; the App cleans the rest in the background and watches the folder.
    corpus = LiveCorpus(space.corpus, space.cache)
    if not len(corpus):
        raise UserError(f"{space.corpus}: no articles (*.txt, *.html) in this folder")
    if not any(corpus.get(article_id) is not None for article_id in corpus.ids):
        # Stops at the first readable one (usually the first, the one shown first).
        raise UserError(f"{space.corpus}: no readable articles; " + "; ".join(corpus.problems))
    flag = getattr(args, "codebook", None)
    starter = starter_codebook(space, flag)
    store = AnnotationStore(space.db, space.user)
    store.refresh()  # reads the file now: a broken store is a StoreError before the app starts
    problems = list(corpus.problems)
    added = 0
    if not store.codebook_seeded:  # checked here to skip importing the YAML reader on most starts
        from tui.export.codebook import seed_codebook

        try:
            added = seed_codebook(store, starter)
        except UserError as error:  # a malformed codebook.yaml: say so, read on without it
            problems.append(str(error))
            flag = None
    if flag and not added:  # a codebook is a new store's start; it never replaces one
        problems.append(
            f"{flag}: not loaded, {space.db} already has a codebook "
            "(`marginalia tags import FILE` merges one in)"
        )

    from tui.app.model.pane_state import state_path_for
    from tui.app.model.session import ReaderSession
    from tui.app.model.user_keymap import keymap_path
    from tui.app.reader import ReaderApp

    # The session applies the reader's corrections (title, source, ...) itself, so that
    # clearing one brings back what cleaning derived.
    session = ReaderSession(corpus, store)
    session.set_blind(bool(getattr(args, "blind", False)))  # --blind: only my annotations
    app = ReaderApp(
        session,
        state_path=state_path_for(space.db),
        export_dir=space.db.parent,
        problems=problems,
        keymap_path=keymap_path(),
    )
    app.run(mouse=bool(getattr(args, "mouse", False)))
    return app.return_code or 0
