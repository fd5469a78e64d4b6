"""The Textual reader: a thin shell over tui.corpus and tui.store."""
