"""``python -m sedviz``: the command line."""

from sedviz.cli import main

raise SystemExit(main())
