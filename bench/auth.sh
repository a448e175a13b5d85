#!/usr/bin/env bash
# Sign-In with Ethereum: siwe.verify_per_s (in-process, precomputed signatures, every core), siwe.http_per_s and
# baseline.rps (full sign-ins over HTTP and /health/live on the real portal, same run), siwe.rejected=N/N (hostile
# messages, each must be refused) and wasm.framework_bytes (the client download with the wallet code). key=value lines.
#   bench/auth.sh [--duration S] [--connections N] [--verifications N]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if ! build_log=$(dotnet build bench/Auth/Auth.csproj -c Release --nologo -v quiet 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
dotnet bench/Auth/bin/Release/net10.0/Auth.dll "$(pwd)" "$@"
bench/size.sh | grep '^wasm\.'
