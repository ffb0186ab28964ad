#!/usr/bin/env bash
# Packs the pinned front-end packages from the npm registry and copies the exact files we use,
# unmodified and with their licence, into static/vendor/ (app) and tests/vendor/ (axe-core).
# Needs npm only when run; the app itself never needs Node.
set -euo pipefail
cd "$(dirname "$0")/.."

HTMX=2.0.11
UTRECHT=9.0.4
DENHAAG=4.1.0
VOORBEELD=7.4.1
UTRECHT_TOKENS=5.0.1
AXE=4.14.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() { # package@version -> folder with the unpacked package
    local spec=$1 dir="$work/$(echo "$1" | tr '/@' '__')"
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
    echo "$dir/package"
}

copy() { # source-dir dest-dir file...
    local src=$1 dst=$2; shift 2
    mkdir -p "$dst"
    for f in "$@"; do mkdir -p "$dst/$(dirname "$f")"; cp "$src/$f" "$dst/$f"; done
}

rm -rf static/vendor tests/vendor/axe-core-* tests/vendor/SHA256SUMS  # vnu-jar is fetched by tools/vnu.sh
p=$(unpack "htmx.org@$HTMX")
copy "$p" "static/vendor/htmx-$HTMX" dist/htmx.min.js LICENSE
p=$(unpack "@utrecht/component-library-css@$UTRECHT")
copy "$p" "static/vendor/utrecht-component-library-css-$UTRECHT" dist/index.css dist/html.css LICENSE.md
p=$(unpack "@gemeente-denhaag/design-tokens-components@$DENHAAG")
copy "$p" "static/vendor/denhaag-design-tokens-components-$DENHAAG" dist/theme/index.css LICENSE.md
p=$(unpack "@nl-design-system-unstable/voorbeeld-design-tokens@$VOORBEELD")
copy "$p" "static/vendor/voorbeeld-design-tokens-$VOORBEELD" dist/theme.css LICENSE.md
# Gemeente Utrecht's own tokens (class utrecht-theme); its LICENSE.md keeps the brand proprietary.
p=$(unpack "@utrecht/design-tokens@$UTRECHT_TOKENS")
copy "$p" "static/vendor/utrecht-design-tokens-$UTRECHT_TOKENS" dist/theme.css LICENSE.md
p=$(unpack "axe-core@$AXE")
copy "$p" "tests/vendor/axe-core-$AXE" axe.min.js LICENSE LICENSE-3RD-PARTY.txt

(cd static/vendor && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum) > static/vendor/SHA256SUMS
(cd tests/vendor && find . -type f ! -name SHA256SUMS ! -path './vnu-jar-*' | sort | xargs sha256sum) > tests/vendor/SHA256SUMS
echo "vendored: htmx $HTMX, utrecht $UTRECHT, denhaag $DENHAAG, voorbeeld $VOORBEELD, utrecht tokens $UTRECHT_TOKENS, axe-core $AXE"
