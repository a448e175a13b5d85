#!/usr/bin/env bash
# The portal's read APIs under load on a synthetic network: 10,000 miners and 10,000,000 jobs in a throwaway
# PostgreSQL, the real Portal.Server, and 64 connections from a separate load-client process. Prints key=value lines.
# Smaller runs: bench/portal.sh --jobs 200000 --miners 1000 (or BENCH_JOBS / BENCH_MINERS); also --duration S per endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# Quiet: the build's output is shown only when it fails.
for project in bench/Portal/Portal.csproj Portal.Server/Portal.Server.csproj; do
  if ! build_log=$(dotnet build "$project" -c Release --nologo -v quiet 2>&1); then
    echo "$build_log" >&2
    exit 1
  fi
done
# exec: Ctrl-C and SIGTERM reach the benchmark itself, which stops everything it started.
exec dotnet bench/Portal/bin/Release/net10.0/Portal.dll "$(pwd)" "$@"
