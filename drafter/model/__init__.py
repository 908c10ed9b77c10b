"""The model layer: what the pipeline asks of a model, and every way drafter answers it.

The pipeline, the API and the evals depend only on ``drafter.model.protocol``; the rest is
imported by the surfaces (CLI, API, eval runner) when they need a real model. This file
imports nothing, so importing one module of the package costs only that module: ``drafter
--help`` and code that only scores a message load neither litellm nor llama.cpp. The
modules, from the outside in:

* ``protocol``: the interface every stage and surface depends on. Code that only scores
  messages imports this and never pays for litellm or llama.cpp.
* ``litellm_client``: ``LiteLLMClient``, the one real ``ModelClient`` (deadline, retries,
  fallback, error mapping). The only module that imports litellm (a ruff rule enforces it);
  it also registers the embedded models as litellm's ``embedded`` custom provider, so local
  and remote models go through one code path.
* ``registry``: the embedded models, each written once: its name, the sha256 its weights
  must have, the packages that carry them; the default model; the ``embedded/`` prefix and
  ``is_embedded``. Settings, the client, the weights code, the CLI and the tests read it.
* ``weights``: finds an embedded model's GGUF file (in installed packages, or assembled from
  them into the cache) and checks it against its pinned sha256 before anything loads it.
* ``runtime``: the llama.cpp context that runs an embedded model in-process, with the
  persistent KV cache of the shared system prompt.
* ``guided``: schema-guided JSON decoding for the runtime (we write the structure, the model
  writes the values).
* ``testing``: ``ScriptedModel``, the one fake model (scripted replies and failures, recorded
  requests, latency), shipped here so that the tests, the benchmarks and scripts/loadtest.py
  share it; the last two serve it behind litellm, so the real client is what they measure.
"""
