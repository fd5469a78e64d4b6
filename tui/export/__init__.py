"""Store + corpus -> YAML, Markdown, CSV, W3C JSON-LD, REFI-QDA, and import back.

Exporting is two steps: choose the excerpts (`excerpts.store_excerpts`: filter, anchor to the
current clean text, reading order), then `render.render` them in a format and
`render.write_atomically`. Importing is `importer.import_file`: parse and validate, plan the
merge, apply it in one store write. `formats` names the formats without loading any writer.

Nothing is imported here, so that naming a submodule loads only what it needs.
"""
