#!/usr/bin/env bash
# Gas of the protocol's everyday transactions, measured on a fresh anvil: prints gas.<operation>=<gasUsed> lines.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# Quiet: the build's output is shown only when it fails.
if ! build_log=$(dotnet build bench/Gas/Gas.csproj -c Release --nologo -v quiet 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
dotnet bench/Gas/bin/Release/net10.0/Gas.dll
