#!/usr/bin/env bash
# The size of the house: lines of non-generated code per project (loc.<project>=N), and the published,
# compressed download of the WebAssembly client (wasm.framework_bytes: the .br files of _framework).
#   bench/size.sh            both
#   bench/size.sh --loc      only the line counts (no build)
set -euo pipefail
cd "$(dirname "$0")/.."

# Code we write: C#, Razor, JavaScript, Solidity, shell. Generated bindings, EF migrations, compiled
# artifacts, build outputs and node_modules are left out; blank lines are not counted.
count_lines() {
  git ls-files -- "$1" \
    | grep -E '\.(cs|razor|js|mjs|sol|sh|py)$' \
    | grep -vE '(/Generated/|\.g\.cs$|/Migrations/|/artifacts/|/node_modules/|\.Designer\.cs$)' \
    | while read -r f; do [ -f "$f" ] && grep -cve '^\s*$' "$f" || true; done \
    | awk '{ s += $1 } END { print s + 0 }'
}

total=0
for project in $(git ls-files | grep -E '\.csproj$' | xargs -n1 dirname | sort -u); do
  n=$(count_lines "$project")
  total=$((total + n))
  echo "loc.${project//\//.}=$n"
done
echo "loc.total=$total"

[ "${1:-}" = "--loc" ] && exit 0

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! log=$(dotnet publish Portal.Client/Portal.Client.csproj -c Release -o "$out" --nologo -v quiet 2>&1); then
  echo "$log" >&2
  exit 1
fi
framework="$out/wwwroot/_framework"
echo "wasm.framework_bytes=$(find "$framework" -name '*.br' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
echo "wasm.framework_files=$(find "$framework" -name '*.br' | wc -l)"
