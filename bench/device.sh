#!/usr/bin/env bash
# The worker on this machine's accelerator: the execution provider it picks (and why), the time of one denoising step
# on the tiny models (SD 1.5 at 512², SDXL at 1024²), the pipeline's overhead ratio there, and the GPU memory's peak.
# Made for a GPU machine (it builds the CUDA worker where nvidia-smi answers, as ./run.sh does); elsewhere it measures
# the CPU and says so. Prints key=value lines, in well under 5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

variant=(); bin=bin
if [[ "${ONNXRUNTIME:-auto}" == gpu ]] || { [[ "${ONNXRUNTIME:-auto}" == auto ]] && nvidia-smi -L >/dev/null 2>&1; }; then
  variant=(-p:OnnxRuntimeGpu=true); bin=bin-gpu
fi
if ! build_log=$(dotnet build bench/Inference/Inference.csproj -c Release --nologo -v quiet "${variant[@]}" 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
echo "device.build=${bin/bin-gpu/cuda}" | sed 's/=bin$/=cpu/'
dotnet "bench/Inference/$bin/Release/net10.0/Inference.dll" "$(pwd)" --device
