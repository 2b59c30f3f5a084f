#!/usr/bin/env bash
# Install logview from this unpacked archive: for you alone (default, no root needed) or, with
# --system and root, for everyone. Adds the `logview` command, the menu entry, the icon and
# the file types (.log, .evtx, archives). --uninstall removes what it added.
#
#   ./install.sh                 # ~/.local/opt/logview, command in ~/.local/bin
#   sudo ./install.sh --system   # /opt/logview, command in /usr/local/bin
#   ./install.sh --uninstall     # (add --system for a system install)
#
# logview also runs in place without installing: ./logview/logview [FILE ...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scope=user
action=install
for arg in "$@"; do
    case "$arg" in
        --system) scope=system ;;
        --uninstall) action=uninstall ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

if [ "$scope" = system ]; then
    app_dir=/opt/logview
    bin_dir=/usr/local/bin
    share=/usr/local/share
else
    app_dir="$HOME/.local/opt/logview"
    bin_dir="$HOME/.local/bin"
    share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi

refresh_caches() {
    # Each tool is optional: a desktop without it does not use its cache either.
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v update-mime-database >/dev/null; then
        # It prints a note when the folder is not on XDG_DATA_DIRS (true of ~/.local/share
        # for sessions that leave it unset, which use it all the same).
        update-mime-database "$share/mime" >/dev/null 2>&1 \
            || echo "note: update-mime-database failed; .evtx may not show as logview's until re-login"
    fi
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
    fi
}

if [ "$action" = uninstall ]; then
    rm -rf "$app_dir"
    rm -f "$bin_dir/logview" "$share/applications/logview.desktop" \
        "$share/mime/packages/logview.xml" "$share/metainfo/logview.metainfo.xml"
    find "$share/icons/hicolor" -path '*/apps/logview.*' -delete 2>/dev/null || true
    refresh_caches
    echo "logview removed from $app_dir"
    exit 0
fi

if [ ! -x "$here/logview/logview" ]; then
    echo "install.sh: run me from the unpacked archive (no logview/logview beside me)" >&2
    exit 1
fi
rm -rf "$app_dir"
mkdir -p "$(dirname "$app_dir")" "$bin_dir" "$share"
cp -a "$here/logview" "$app_dir"
ln -sfn "$app_dir/logview" "$bin_dir/logview"
cp -a "$here/share/." "$share/"
# The menu entry names the binary by its full path: a desktop session's PATH often lacks
# ~/.local/bin.
sed -i "s|^Exec=logview |Exec=$app_dir/logview |; s|^TryExec=logview$|TryExec=$app_dir/logview|" \
    "$share/applications/logview.desktop"
refresh_caches
echo "logview installed in $app_dir; run 'logview' or open it from the applications menu"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "note: $bin_dir is not on your PATH; add it to run 'logview' from a terminal" ;;
esac
