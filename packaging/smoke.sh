#!/usr/bin/env bash
# Smoke test of the Linux build: build it, then run the frozen binary as a user would.
#
#   packaging/smoke.sh            # build with packaging/linux/build.sh, then test
#   packaging/smoke.sh --reuse    # test the last build if it is newer than the sources
#
# Checks, each with the frozen binary (packaging/dist/logview/logview):
# - `--version` prints the package version;
# - `--self-test` offscreen on the demo (generated afresh in a temp cache: the frozen demo
#   generator runs) and on a generated zip of text, JSON lines, .gz and .zst logs: loads,
#   mines patterns, saves a screenshot, exits 0;
# - `export` and `sources` of that zip (headless commands);
# - under Xvfb with the X11 plugin too, when xvfb-run is installed;
# - the .tar.gz and the .deb unpack to a binary that runs.
# Slow (a build takes minutes), so not part of the pytest run. Prints the build time, the
# sizes and the self-test lines; exits 1 at the first failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dist="$here/dist"
app="$dist/logview/logview"
reuse=0
for arg in "$@"; do
    case "$arg" in
        --reuse) reuse=1 ;;
        -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "smoke.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

# What the build is made of: a newer file means the last build is stale.
newest_source="$(find "$root/logview" "$root/resources" "$root/pyproject.toml" "$here/linux" \
    "$here/logview.spec" "$here/freeze.py" "$here/logview_main.py" \
    -type f -newer "$app" -print -quit 2>/dev/null || true)"
build_seconds="(reused)"
if [ "$reuse" = 0 ] || [ ! -x "$app" ] || [ -n "$newest_source" ]; then
    [ "$reuse" = 1 ] && echo "smoke: the last build is missing or older than the sources: building"
    started=$SECONDS
    "$here/linux/build.sh"
    build_seconds="$((SECONDS - started)) s"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"

echo
echo "== --version"
expected="$("$here/build/venv/bin/python" -c 'from importlib.metadata import version; print(version("logview"))')"
[ "$("$app" --version)" = "logview $expected" ] || fail "--version says '$("$app" --version)', not 'logview $expected'"
echo "logview $expected"

echo
echo "== a generated bundle"
"$here/build/venv/bin/python" - "$work/bundle.zip" <<'EOF'
"""Write a zip of a few logs in different formats and compressions."""
import gzip
import json
import sys
import zipfile

import zstandard

lines = [
    f"2026-03-10 14:{i // 60:02d}:{i % 60:02d} {'ERROR' if i % 9 == 0 else 'INFO'} "
    f"request {i} from 10.0.0.{i % 7} took {i % 40} ms"
    for i in range(600)
]
events = [
    json.dumps({"ts": f"2026-03-10T14:{i // 6:02d}:{i % 6 * 10:02d}Z", "level": "warn",
                "msg": f"queue depth {i * 3} over limit", "queue": f"q{i % 3}"})
    for i in range(300)
]
with zipfile.ZipFile(sys.argv[1], "w") as bundle:
    bundle.writestr("app/app.log", "\n".join(lines[:300]) + "\n")
    bundle.writestr("app/app.log.1.gz", gzip.compress(("\n".join(lines[300:]) + "\n").encode()))
    bundle.writestr("worker/events.jsonl.zst",
                    zstandard.ZstdCompressor().compress(("\n".join(events) + "\n").encode()))
EOF
ls -l "$work/bundle.zip"

echo
echo "== --self-test (offscreen)"
line=""
self_test() {  # label, then the command line before logview's arguments, "--", the arguments
    local label="$1"
    shift
    local launcher=()
    while [ "$1" != -- ]; do launcher+=("$1"); shift; done
    shift
    if ! line="$(timeout 300 "${launcher[@]}" "$app" --self-test \
        --screenshot "$work/$label.png" "$@" 2>"$work/$label.err")"; then
        cat "$work/$label.err" >&2
        fail "--self-test on $label"
    fi
    echo "$label: $line"
}
self_test demo env QT_QPA_PLATFORM=offscreen --
self_test bundle env QT_QPA_PLATFORM=offscreen -- "$work/bundle.zip"
case "$line" in
    *"ok: 900 entries, 3 sources"*) ;;
    *) fail "the generated bundle should give 900 entries from 3 sources" ;;
esac

if command -v xvfb-run >/dev/null; then
    echo
    echo "== --self-test under Xvfb (the X11 plugin)"
    self_test xcb env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1600x1000x24' --
else
    echo "(xvfb-run not installed: the X11 plugin was not tried)"
fi

echo
echo "== headless commands"
"$app" export "$work/bundle.zip" -o "$work/out.csv"
rows=$(($(wc -l < "$work/out.csv") - 1))
[ "$rows" = 900 ] || fail "export wrote $rows rows, not 900"
echo "export: $rows rows"
"$app" sources "$work/bundle.zip" | tee "$work/sources.txt"
grep -q jsonl "$work/sources.txt" || fail "sources did not read the .zst JSON lines"

echo
echo "== the archives"
name="logview-$expected-linux-$(uname -m)"
tarball="$dist/$name.tar.gz"
mkdir "$work/tar" && tar -C "$work/tar" -xzf "$tarball"
"$work/tar/$name/logview/logview" --version >/dev/null || fail "the .tar.gz's binary does not run"
echo "$(basename "$tarball"): unpacks and runs"
deb="$dist/logview_${expected}_$(dpkg --print-architecture 2>/dev/null || echo none).deb"
if [ -f "$deb" ]; then
    dpkg-deb -x "$deb" "$work/deb"
    "$work/deb/opt/logview/logview" --version >/dev/null || fail "the .deb's binary does not run"
    echo "$(basename "$deb"): unpacks and runs"
else
    deb=""
fi

echo
echo "== summary"
echo "build: $build_seconds"
du -sh "$dist/logview"
for out in "$tarball" ${deb:+"$deb"}; do
    echo "$(basename "$out"): $(awk -v b="$(stat -c %s "$out")" 'BEGIN {printf "%.1f MiB", b / 1048576}')"
done
echo "smoke: ok"
