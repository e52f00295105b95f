"""Entry module for `flet build apk|aab|ipa` (docs/mobile-build.md).

On a phone the Flet runtime sets FLET_APP_STORAGE_DATA, which app.paths.default_data_dir()
picks up. On a desktop or for the web, start the app with `dichtbij app` instead.
"""

import flet as ft

from app.paths import default_data_dir
from app.ui.session import AUTO_LOCK_SECONDS
from app.ui.shell import main_for

if __name__ == "__main__":
    ft.run(main_for(default_data_dir(), AUTO_LOCK_SECONDS))
