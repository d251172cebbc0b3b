"""``python -m exercises 命令 …``: the same as ``course 命令 …``."""
import sys

from .cli import main

sys.exit(main())
