#!/usr/bin/env bash
# Inference benchmarks on the tiny demo models: pipeline overhead over raw ONNX Runtime, dispatch latency through
# Hangfire on a real PostgreSQL, and throughput with 1, 2 and 4 workers. Prints key=value lines.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x Contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]]; then
  (cd Contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
# Quiet: the build's output is shown only when it fails.
for project in bench/Inference/Inference.csproj Inference.Worker/Inference.Worker.csproj Portal.Server/Portal.Server.csproj; do
  if ! build_log=$(dotnet build "$project" -c Release --nologo -v quiet 2>&1); then
    echo "$build_log" >&2
    exit 1
  fi
done
dotnet bench/Inference/bin/Release/net10.0/Inference.dll "$(pwd)" "$@"
