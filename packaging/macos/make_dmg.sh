#!/usr/bin/env bash
# Wrap a .app into a compressed, drag-to-install disk image (macOS only: needs hdiutil).
#   packaging/macos/make_dmg.sh dist/Ledgerdesk.app Ledgerdesk dist/Ledgerdesk-0.1.0.dmg
# The .app itself (Info.plist, the .icns icon, the bundle identifier, the version) is made by
# PyInstaller's BUNDLE step in packaging/ledgerdesk.spec; packaging/build.py calls this after.
set -euo pipefail
app_path="$1"; volume="$2"; target="$3"
[ -d "$app_path" ] || { echo "make_dmg: no such app: $app_path" >&2; exit 1; }
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$app_path" "$stage/"
ln -s /Applications "$stage/Applications"   # the usual drag target
rm -f "$target"
hdiutil create -volname "$volume" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$target"
hdiutil verify "$target"
