#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianan_lawgov.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- reads the settings: a wrong one stops here
    except ImproperlyConfigured as error:
        # A missing or wrong setting is the operator's to fix: one line, not a traceback.
        sys.exit(f"配置错误：{error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
