#!/usr/bin/env bash
# Builds the whole solution and runs the tests. CI runs the default.
#   ./test.sh          every test: unit, integration on a real PostgreSQL and anvil, and browser tests in Chromium
#   ./test.sh --fast   the unit tests only: no PostgreSQL, anvil, Chromium or child processes ([Integration] marks the rest)
set -euo pipefail
cd "$(dirname "$0")"

fast=false
case "${1:-}" in
  "") ;;
  --fast) fast=true ;;
  *) echo "usage: ./test.sh [--fast]" >&2; exit 2 ;;
esac

# libsecp256k1 recovers sign-in signatures five times faster than its C# port; a unit test holds the two side by side.
if ! ldconfig -p | grep -q 'libsecp256k1\.so\.1 '; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing libsecp256k1…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsecp256k1-1 >/dev/null
  else
    echo "error: the tests need Debian's libsecp256k1-1 package (apt-get install libsecp256k1-1), and only root can install it." >&2
    exit 1
  fi
fi

if ! $fast; then
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

  # anvil runs the chain tests; viem, ethers, siwe, OpenZeppelin's merkle-tree and snapshot.js regenerate the test
  # vectors, and snapshot.js's Client712 drives the governance compatibility test.
  if [ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d Contracts/node_modules/viem ] \
     || [ ! -d Contracts/node_modules/ethers ] || [ ! -d Contracts/node_modules/siwe ] \
     || [ ! -d Contracts/node_modules/@openzeppelin/merkle-tree ] || [ ! -d Contracts/node_modules/@snapshot-labs/snapshot.js ]; then
    echo "Installing anvil, viem, ethers, siwe, merkle-tree and snapshot.js (npm ci in Contracts)…"
    (cd Contracts && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # Alto, the ERC-4337 bundler that the minting tests send user operations through.
  if [ ! -f Bundler/node_modules/@pimlico/alto/esm/cli/alto.js ]; then
    echo "Installing the Alto bundler (npm ci in Bundler)…"
    (cd Bundler && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

dotnet build HeuristPortal.sln -c Release --nologo -v quiet -clp:ErrorsOnly
if ! $fast; then
  # The worker's CUDA variant compiles too; it runs only where there is a GPU, so the tests run the CPU one.
  dotnet build Inference.Worker/Inference.Worker.csproj -c Release -p:OnnxRuntimeGpu=true --nologo -v quiet -clp:ErrorsOnly
fi

# The tests make their clusters, chains and models under the temporary folder; this run gets one of its own, so that
# what a crashed test process leaves behind is known to be ours. The postgres OS user must be able to enter it.
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/heurist-test-run-XXXXXX")
chmod 755 "$run_dir"

# The fixtures stop what they start. A cluster still running in this run's folder means a test process died without
# cleaning up: name it, stop it by the pid in its postmaster.pid, and fail the run.
finish() {
  local status=$? pid_file pid data left=()
  while IFS= read -r pid_file; do
    pid=$(head -n 1 "$pid_file")
    data=$(dirname "$pid_file")
    if [ -n "$pid" ] && grep -qsF -- "$data" "/proc/$pid/cmdline"; then
      echo "error: a test PostgreSQL cluster was left running: pid $pid, data in $data; stopping it." >&2
      kill -INT "$pid" || true
      left+=("$pid")
    fi
  done < <(find "$run_dir" -name postmaster.pid 2>/dev/null)
  for pid in "${left[@]}"; do
    # SIGINT is PostgreSQL's fast shutdown; it is gone within seconds.
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
  rm -rf "$run_dir"
  if [ ${#left[@]} -gt 0 ] && [ "$status" = 0 ]; then
    status=1
  fi
  exit "$status"
}
trap finish EXIT

if $fast; then
  HEURIST_UNIT_TESTS_ONLY=1 TMPDIR="$run_dir" dotnet test HeuristPortal.sln -c Release --no-build --nologo --filter "Category!=Integration"
else
  TMPDIR="$run_dir" dotnet test HeuristPortal.sln -c Release --no-build --nologo
  echo "Screenshots of the browser journeys: artifacts/screenshots/"
fi
