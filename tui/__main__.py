"""`python -m tui` is the same as the `marginalia` command."""

from tui.cli import main

raise SystemExit(main())
