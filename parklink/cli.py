"""The `parklink` console command: Django's manage.py for this project.

Every management command runs through it (`parklink migrate`, `parklink demo`, ...).
Unexpected errors become one line on stderr and exit 1; set PARKLINK_TRACEBACK=1 to see
the traceback while debugging.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "parklink"
    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        sys.stderr.write("已中断 / interrupted\n")
        sys.exit(130)
    except Exception as exc:  # one clear line, never a traceback (DESIGN: command line)
        if os.environ.get("PARKLINK_TRACEBACK"):
            raise
        sys.stderr.write(f"错误 / Error: {type(exc).__name__}: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
