"""Reading the YAML data files under data/: parsed once per process, with libyaml where present.

Every dispatcher (the bot, the console, each test) loads the same files; PyYAML's pure-Python
parser took about 2 s per dispatcher, its C loader and this cache take next to nothing.
Callers must not change what they get: it is shared.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The parsed content of `path`; read again only when the file changes."""
    stat = path.stat()
    return _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _parsed(path: str, _mtime_ns: int, _size: int) -> Any:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
