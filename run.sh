#!/usr/bin/env bash
# Runs Heurist Portal on this machine: PostgreSQL and anvil when none is configured (data in .data/),
# the database migrations, the portal and one worker. Ctrl-C stops everything it started.
#   ./run.sh            start, print the URL, run until Ctrl-C
#   ./run.sh migrate    only apply the database migrations
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK is not installed (no dotnet on PATH)." >&2
  exit 1
fi

if [ -z "${Chain__RpcUrl:-}" ] && [ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then
  if ! command -v npm >/dev/null; then
    echo "error: npm is needed to install anvil; install Node.js 20, or set Chain__RpcUrl to an existing node." >&2
    exit 1
  fi
  echo "Installing anvil (npm ci in Contracts)…"
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "Building…"
dotnet build LocalRunner/LocalRunner.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet LocalRunner/bin/Release/net10.0/LocalRunner.dll "$@"
