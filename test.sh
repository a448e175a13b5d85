#!/usr/bin/env bash
# Builds the whole solution with warnings as errors and runs every test: unit, integration on a real
# PostgreSQL and anvil, and browser tests in Chromium. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium for the browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the browser tests need Debian's chromium package (apt-get install chromium), and only root can install it." >&2
    exit 1
  fi
fi

# anvil runs the chain tests; viem and ethers regenerate the Ethereum library's test vectors.
if [ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d Contracts/node_modules/viem ] || [ ! -d Contracts/node_modules/ethers ]; then
  echo "Installing anvil, viem and ethers (npm ci in Contracts)…"
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build HeuristPortal.sln -c Release -warnaserror --nologo -v quiet -clp:ErrorsOnly
dotnet test HeuristPortal.sln -c Release --no-build --nologo

# The fixtures stop what they start; a cluster still running here means a test process died without cleaning up.
if pgrep -f 'heurist-test-pg-' >/dev/null; then
  echo "error: test PostgreSQL clusters were left running:" >&2
  pgrep -af 'heurist-test-pg-' >&2
  pkill -f 'heurist-test-pg-' || true
  exit 1
fi
echo "Screenshots of the browser journeys: artifacts/screenshots/"
