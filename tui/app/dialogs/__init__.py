"""Modal dialogs: pickers, prompts, the note editor, export, article details."""
