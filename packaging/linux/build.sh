#!/usr/bin/env bash
# Build logview for Linux: the one-folder app, a .tar.gz with an install script, and a .deb.
#
#   packaging/linux/build.sh            # everything, into packaging/dist/
#   packaging/linux/build.sh --no-deb   # the folder and the .tar.gz only
#
# Creates its own build venv (packaging/build/venv; PYTHON=python3.12 to choose the Python),
# installs logview from this tree with the polars runtime the installers ship and PyInstaller,
# and freezes it with packaging/logview.spec. See packaging/README.md for what ships and why.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$root/packaging/build"
dist="$root/packaging/dist"
venv="$build/venv"
python="${PYTHON:-python3}"
make_deb=1
for arg in "$@"; do
    case "$arg" in
        --no-deb) make_deb=0 ;;
        -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done
started=$SECONDS

say() { printf '\n== %s\n' "$*"; }

say "build venv ($venv)"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
machine="$(uname -m)"
# x86-64 laptops without AVX2 crash on polars' default runtime: ship the compat one there
# (measured no slower on logview's benchmarks). Other machines get polars' default.
runtime=()
if [ "$machine" = x86_64 ]; then runtime=("polars[rtcompat]"); fi
"$venv/bin/python" -m pip install -q "$root" "${runtime[@]}" "pyinstaller>=6.10,<7"
# This tree's logview, even when the version number did not change.
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$root"
version="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("logview"))')"

say "PyInstaller: logview $version"
frozen_at=$SECONDS
rm -rf "$dist/logview"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$build/pyinstaller" "$root/packaging/logview.spec"
app="$dist/logview"
# Some Pythons (pyenv's builds) leave debug info in libpython and the standard library's
# extension modules: 25 MB of the bundle. Strip it from the Python's own files only; never
# strip the wheels' libraries (numpy's OpenBLAS breaks when stripped).
find "$app/_internal" -maxdepth 1 -type f -name 'libpython3*.so*' -print0 > "$build/python-libs"
find "$app/_internal/python3"* -type f -name '*.so' -print0 >> "$build/python-libs" 2>/dev/null || true
while IFS= read -r -d '' lib; do
    if file -b "$lib" | grep -q 'with debug_info'; then
        strip --strip-debug "$lib"
    fi
done < "$build/python-libs"
freeze_seconds=$((SECONDS - frozen_at))
"$app/logview" --version

say "libraries the bundle takes from the system"
export LD_LIBRARY_PATH="$app/_internal:$app/_internal/PySide6/Qt/lib"
missing="$(find "$app" -type f -name '*.so*' -exec ldd {} \; 2>/dev/null \
    | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
unset LD_LIBRARY_PATH
glibc="$(find "$app" -type f \( -name '*.so*' -o -name logview \) -exec objdump -T {} \; 2>/dev/null \
    | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
echo "needs glibc >= $glibc (build on the oldest distribution you support)"
if [ -n "$missing" ]; then
    echo "not on this build machine, so taken from the user's system if there: $missing"
fi

say "tar.gz"
arch="$machine"
name="logview-$version-linux-$arch"
stage="$build/stage/$name"
rm -rf "$build/stage"
mkdir -p "$stage/share/applications" "$stage/share/mime/packages" "$stage/share/metainfo"
cp -a "$app" "$stage/logview"
cp "$here/install.sh" "$stage/install.sh"
chmod 755 "$stage/install.sh"
cp "$root/resources/logview.desktop" "$stage/share/applications/logview.desktop"
cp "$root/resources/logview-mime.xml" "$stage/share/mime/packages/logview.xml"
cp "$root/resources/logview.metainfo.xml" "$stage/share/metainfo/logview.metainfo.xml"
for png in "$root"/resources/icons/logview-*.png; do
    size="$(basename "$png" .png)"
    size="${size#logview-}"
    mkdir -p "$stage/share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/logview.png"
done
mkdir -p "$stage/share/icons/hicolor/scalable/apps"
cp "$root/resources/logview.svg" "$stage/share/icons/hicolor/scalable/apps/logview.svg"
tarball="$dist/$name.tar.gz"
tar -C "$build/stage" -czf "$tarball" "$name"

deb=""
if [ "$make_deb" = 1 ]; then
    say ".deb"
    deb_arch="$(dpkg --print-architecture)"
    pkg="$build/deb"
    rm -rf "$pkg"
    mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/doc/logview"
    cp -a "$app" "$pkg/opt/logview"
    ln -s /opt/logview/logview "$pkg/usr/bin/logview"
    cp -a "$stage/share/." "$pkg/usr/share/"
    cp "$root/README.md" "$pkg/usr/share/doc/logview/README.md"
    printf 'logview %s, MIT license; bundles Qt (LGPLv3), PySide6 (LGPLv3), Python (PSF),\npolars, numpy, pyqtgraph, drain3 and their dependencies under their own licenses.\n' \
        "$version" > "$pkg/usr/share/doc/logview/copyright"
    installed_kb="$(du -sk "$pkg" | cut -f1)"
    # The rest is bundled. Of these, the bundle takes GL, EGL and libxcb from the system, and
    # its own xkbcommon and fontconfig read the system's keyboard and font data that these
    # packages bring; Wayland is optional (Qt falls back to X11) and the xcb helpers are
    # bundled when the build machine has them. No maintainer scripts: dpkg's triggers refresh
    # the desktop, MIME and icon caches.
    cat > "$pkg/DEBIAN/control" <<EOF
Package: logview
Version: $version
Architecture: $deb_arch
Maintainer: ${DEB_MAINTAINER:-logview developers <logview@example.invalid>}
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc), libgl1, libegl1, libxcb1, libxkbcommon0, libfontconfig1
Recommends: libwayland-client0, libwayland-cursor0, libwayland-egl1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1
Section: utils
Priority: optional
Description: desktop log explorer for support bundles
 Open log files, folders and archives a customer sent on your own laptop,
 offline: every entry merged in time order, recurring patterns, comparisons
 of time ranges and anomalies.
EOF
    deb="$dist/logview_${version}_${deb_arch}.deb"
    dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
fi

say "done in $((SECONDS - started)) s (PyInstaller and strip: $freeze_seconds s)"
du -sh "$app"
for out in "$tarball" ${deb:+"$deb"}; do
    printf '%s  %s bytes (%s MiB)\n' "$out" "$(stat -c %s "$out")" \
        "$(awk -v b="$(stat -c %s "$out")" 'BEGIN {printf "%.1f", b / 1048576}')"
done
