#!/usr/bin/env bash
# Gasless mints end to end on this machine: a private PostgreSQL, anvil, the Alto bundler, the real portal and a
# tiny-model worker. 50 mints from 5 wallets (prepare → wallet signature → bundler → receipt), the hostile cases, and
# re-runs of minted images. Prints key=value lines; exits 1 when a hostile case is not refused or a re-run differs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if [[ ! -f Bundler/node_modules/@pimlico/alto/esm/cli/alto.js ]]; then
  (cd Bundler && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# Quiet: the build's output is shown only when it fails.
for project in bench/Mint/Mint.csproj Inference.Worker/Inference.Worker.csproj Portal.Server/Portal.Server.csproj; do
  if ! build_log=$(dotnet build "$project" -c Release --nologo -v quiet 2>&1); then
    echo "$build_log" >&2
    exit 1
  fi
done
dotnet bench/Mint/bin/Release/net10.0/Mint.dll
