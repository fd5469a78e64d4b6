"""Widgets the screens are built from: the article pane, status and focus lines, inputs."""
