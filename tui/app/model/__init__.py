"""The reader's plain logic, free of Textual: session, wrapping, highlights, remembered panes."""
