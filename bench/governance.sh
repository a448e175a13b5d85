#!/usr/bin/env bash
# Governance on this machine: tally.ms (100,000 votes of each voting type, in process), votes.ingest_per_s and
# baseline.rps (pre-signed votes of funded holders through the real portal's POST /api/msg, and /health/live, same
# run and connections), and allocation.max_share_error / allocation.settle_heartbeats (20 simulated workers after a
# 70/20/10 allocation vote). key=value lines; exits 1 when a vote is refused or the shares never settle.
#   bench/governance.sh [--votes N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# Quiet: the build's output is shown only when it fails.
for project in bench/Governance/Governance.csproj Portal.Server/Portal.Server.csproj; do
  if ! build_log=$(dotnet build "$project" -c Release --nologo -v quiet 2>&1); then
    echo "$build_log" >&2
    exit 1
  fi
done
dotnet bench/Governance/bin/Release/net10.0/Governance.dll "$@"
