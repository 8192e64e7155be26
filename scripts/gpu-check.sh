#!/usr/bin/env bash
# GPU worker check for a machine with an NVIDIA GPU and its driver (which ships the Vulkan ICD), run from the repo root
# with node_modules installed (ONNXRUNTIME_NODE_INSTALL=skip is fine: WebGPU is inside the CPU build).
#   scripts/gpu-check.sh [photo folder] [libvulkan1 .deb]
# WebGPU in onnxruntime-node 1.30 is Dawn over Vulkan: it needs libvulkan.so.1, the loader, which a bare image may
# lack and cannot download. Bring Debian's package along (`apt-get download libvulkan1` on a connected machine, into
# vendor/) and this unpacks it next to the run instead of installing anything.
# Prints: worst cosine CPU vs WebGPU per embedder (pass ≥ 0.999), images/s per worker at micro-batch 1, 8, 32.
# Exit: 0 pass, 1 embeddings differ, 3 WebGPU did not start (the reason is printed; everything ran on the CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
photos="${1:-../shared/faces/facescrub}"
deb="${2:-$(ls vendor/libvulkan1_*.deb 2>/dev/null | head -1 || true)}"
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  if [ -n "$deb" ] && [ -f "$deb" ]; then
    dir="$(mktemp -d)"
    dpkg-deb -x "$deb" "$dir"
    export LD_LIBRARY_PATH="$(dirname "$(find "$dir" -name 'libvulkan.so.1' | head -1)")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "libvulkan.so.1 from $deb"
  else
    echo "warning: no libvulkan.so.1 installed and no libvulkan1 .deb given; WebGPU will fall back to the CPU" >&2
  fi
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found"
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null || true
export PATH="${NODE_BIN:-$HOME/.cache/facerec/node24/bin}:$PATH"
PIPELINE_THREADS=1 npx tsx apps/bench/src/gpu-check.ts "$photos" --providers webgpu,cpu --images "${GPU_CHECK_IMAGES:-64}"
