"""Django's compilemessages without GNU gettext: each locale catalog compiled with polib.

Django's own command runs gettext's `msgfmt`, a system package a fresh machine may lack; polib (a
dependency already, for translators' PO files) writes the same .mo files, so `make install` needs
nothing outside the Python lock file.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the .po files under LOCALE_PATHS into the .mo files Django reads."

    def handle(self, *args, **options):
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalog = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from None
                catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                if options["verbosity"] >= 2:
                    self.stdout.write(f"compiled {po_path} ({catalog.percent_translated()}%)")
        if options["verbosity"] >= 1:
            self.stdout.write(f"Compiled {compiled} message catalogs.")
