#!/usr/bin/env bash
# Build logview for macOS: logview.app (PyInstaller, the same spec as Linux and Windows) in a
# .dmg with a link to /Applications.
#
#   packaging/macos/build.sh
#
# Run on the architecture you ship for (arm64 on Apple silicon, x86_64 on Intel): PyInstaller
# does not cross-build. Creates its own build venv (packaging/build/venv-macos; PYTHON=... to
# choose the Python, e.g. a python.org build, which runs on older macOS than Homebrew's).
# Signing: ad hoc by default (runs on the machine that built it; elsewhere Gatekeeper asks
# the user to allow it in System Settings). With CODESIGN_IDENTITY="Developer ID Application:
# ..." the app is signed with the hardened runtime; notarize the .dmg afterwards with
# `xcrun notarytool submit --wait` and `xcrun stapler staple`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/packaging/build"
dist="$root/packaging/dist"
venv="$build/venv-macos"
python="${PYTHON:-python3}"
started=$SECONDS

if [ "$(uname -s)" != Darwin ]; then
    echo "macos/build.sh: run me on macOS (hdiutil and codesign are macOS tools)" >&2
    exit 2
fi

echo "== build venv ($venv)"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
machine="$(uname -m)"
# Intel Macs get polars' compat runtime like every x86-64 build; Apple silicon has no such
# split (its default runtime runs on every M-series chip).
runtime=()
if [ "$machine" = x86_64 ]; then runtime=("polars[rtcompat]"); fi
"$venv/bin/python" -m pip install -q "$root" "${runtime[@]}" "pyinstaller>=6.10,<7"
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$root"
version="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("logview"))')"

echo "== PyInstaller: logview $version"
rm -rf "$dist/logview" "$dist/logview.app"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$build/pyinstaller-macos" "$root/packaging/logview.spec"
app="$dist/logview.app"
"$app/Contents/MacOS/logview" --version
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/logview" --self-test

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    echo "== signing as $CODESIGN_IDENTITY"
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
else
    codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict "$app"

echo "== .dmg"
stage="$build/dmg"
rm -rf "$stage"
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="$dist/logview-$version-macos-$machine.dmg"
rm -f "$dmg"
hdiutil create -volname "logview $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"

echo "== done in $((SECONDS - started)) s"
du -sh "$app"
du -h "$dmg"
