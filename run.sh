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

if [ -z "${Chain__BundlerUrl:-}" ] && [ ! -f Bundler/node_modules/@pimlico/alto/esm/cli/alto.js ]; then
  if ! command -v npm >/dev/null; then
    echo "error: npm is needed to install the Alto bundler; install Node.js 20, or set Chain__BundlerUrl to an existing ERC-4337 bundler." >&2
    exit 1
  fi
  echo "Installing the Alto bundler (npm ci in Bundler)…"
  (cd Bundler && npm ci --no-audit --no-fund --loglevel=error)
fi

# libsecp256k1 makes sign-in's signature recovery five times faster; without it the portal uses the C# port.
if ! ldconfig -p | grep -q 'libsecp256k1\.so\.1 '; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing libsecp256k1…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsecp256k1-1 >/dev/null) \
      || echo "warning: libsecp256k1-1 could not be installed; sign-in recovers signatures with the slower C# port." >&2
  else
    echo "note: install Debian's libsecp256k1-1 for faster sign-in; until then the portal uses the C# port." >&2
  fi
fi

echo "Building…"
dotnet build LocalRunner/LocalRunner.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
# The worker's ONNX Runtime: its CUDA build where nvidia-smi answers, the CPU one elsewhere. ONNXRUNTIME=gpu or
# ONNXRUNTIME=cpu forces one; the worker still falls back to the CPU, with the reason, when CUDA will not load.
onnxruntime=${ONNXRUNTIME:-auto}
if [ "$onnxruntime" = auto ]; then
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then onnxruntime=gpu; else onnxruntime=cpu; fi
fi
case "$onnxruntime" in
  gpu)
    echo "Building the worker with ONNX Runtime's CUDA package…"
    dotnet build Inference.Worker/Inference.Worker.csproj -c Release -p:OnnxRuntimeGpu=true --nologo -v quiet -clp:ErrorsOnly ;;
  cpu) ;;
  *) echo "error: ONNXRUNTIME must be auto, gpu or cpu, not '$onnxruntime'." >&2; exit 1 ;;
esac
export Local__WorkerOnnxRuntime="$onnxruntime"
exec dotnet LocalRunner/bin/Release/net10.0/LocalRunner.dll "$@"
