"""``python -m cartonet.api.warm_build``: the warm-up's build process.

:func:`cartonet.api.warmup.warm_up` starts it when the cache files do not hold the current
graph; it reads ``(settings, log level)`` pickled on its standard input (written by the
server that started it) and runs :func:`cartonet.api.warmup.build_caches`. A module of its
own, so the process imports only the code it needs and never the server's ``__main__``.
"""

from __future__ import annotations

import pickle
import sys

from cartonet.api.warmup import build_caches


def main() -> None:
    settings, log_level = pickle.load(sys.stdin.buffer)
    build_caches(settings, log_level)


if __name__ == "__main__":
    main()
