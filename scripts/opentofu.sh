#!/usr/bin/env bash
# Prints the path of an OpenTofu binary for the tests: `tofu` from PATH when
# there is one, otherwise OpenTofu OPENTOFU_VERSION (default below) built from
# the Go module proxy into a cache folder outside the repository,
# ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fptcloud/opentofu/<version>/tofu,
# which later runs reuse. OPENTOFU_BUILD=1 ignores PATH and uses the pinned build.
#
# `go install github.com/opentofu/opentofu/cmd/tofu@version` refuses a module
# whose go.mod has replace directives, as OpenTofu's has, so the script
# downloads the module and runs `go build` inside its directory, with the
# linker flag OpenTofu's releases use to drop the "-dev" version suffix.
set -euo pipefail

version=${OPENTOFU_VERSION:-1.10.10}

if [ -z "${OPENTOFU_BUILD:-}" ] && command -v tofu 2>/dev/null; then
  exit 0
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-fptcloud/opentofu/$version
if [ -x "$cache/tofu" ]; then
  echo "$cache/tofu"
  exit 0
fi

echo "opentofu: building OpenTofu $version from the Go module proxy into $cache (a few minutes, once)" >&2
started=$(date +%s)
download=$(go mod download -json "github.com/opentofu/opentofu@v$version") || {
  echo "$download" >&2
  echo "opentofu: could not download github.com/opentofu/opentofu@v$version: check GOPROXY, or put tofu on PATH" >&2
  exit 1
}
dir=$(printf '%s\n' "$download" | sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p')
[ -d "$dir" ] || { echo "$download" >&2; echo "opentofu: go mod download gave no module directory" >&2; exit 1; }

mkdir -p "$cache"
tmp="$cache/tofu.partial.$$"
trap 'rm -f "$tmp"' EXIT
# The module cache is read-only and complete (go.sum is in the module): build
# in place, in module mode, with this module's settings out of the way.
(cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 \
  go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp" ./cmd/tofu)
mv -f "$tmp" "$cache/tofu"
echo "opentofu: built $("$cache/tofu" version 2>/dev/null | head -n 1) in $(( $(date +%s) - started ))s" >&2
echo "$cache/tofu"
