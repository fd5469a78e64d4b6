"""Suite-wide settings.

Property tests explore new random examples on every developer's run, which is how they find
bugs; in CI (where CI=true) they replay a fixed sequence, so a build is red only for a
change, not for the luck of the draw. A failure found locally is kept in .hypothesis/ and
should become an explicit example.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
