#!/usr/bin/env bash
# Fetches the W3C Nu HTML checker (npm package vnu-jar, pinned, sha256-checked) into a
# git-ignored folder for tests/test_html_geldig.py; does nothing when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=26.9.27
SHA256=22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47
DEST=tests/vendor/vnu-jar-$VERSION

if [ -f "$DEST/vnu.jar" ] && echo "$SHA256  $DEST/vnu.jar" | sha256sum -c --status; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm ontbreekt: vnu.jar (HTML-controle) niet opgehaald" >&2
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "vnu-jar@$VERSION" >/dev/null && tar xzf ./*.tgz)
echo "$SHA256  $work/package/build/dist/vnu.jar" | sha256sum -c --status || {
    echo "vnu.jar $VERSION: sha256 klopt niet" >&2
    exit 1
}
mkdir -p "$DEST"
cp "$work/package/build/dist/vnu.jar" "$work/package/LICENSE" "$DEST/"
echo "vnu-jar $VERSION in $DEST"
