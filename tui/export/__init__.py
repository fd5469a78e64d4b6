"""Store + corpus -> YAML, Markdown, CSV, W3C JSON-LD, REFI-QDA, and import back."""
