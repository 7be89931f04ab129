"""`python -m src.cli`: the package's `main`, so `UsageError` is the one class from `src.cli.common`."""

from . import main

raise SystemExit(main())
