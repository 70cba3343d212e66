# Ledgerdesk's replacement for PyInstaller's PySide6 run-time hook (pyi_rth_pyside6.py).
#
# PyInstaller's hook imports PySide6.QtCore at every start only to check that PySide6 has
# registered its embedded qt.conf, which PySide6 from PyPI always does when it is imported.
# That import costs about 0.1 s and loads Qt into `ledgerdesk --version`, `--help` and every
# command-line command. This hook keeps the rest of the original (plugin and QML paths on
# Linux and Windows; the .app bundle needs no more on macOS since the plugins are found
# relative to the QtCore framework) and leaves QtCore to be loaded when the GUI asks for it.
import os
import sys


def _ledgerdesk_rthook() -> None:
    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")


_ledgerdesk_rthook()
del _ledgerdesk_rthook
