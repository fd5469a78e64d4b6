"""Errors the user caused or can fix, shared by every layer.

The CLI prints them as one line and exits with code 2; the app shows them in a notification.
Anything else escaping is a bug in marginalia.
"""


class UserError(Exception):
    """A bad input, file or store: the message names the file and the reason."""

    exit_code = 2
