"""The only module that imports litellm: every model call, local or remote, goes through here.

``LiteLLMClient`` implements ``drafter.model.protocol.ModelClient``. It wraps each call in
an outer deadline (some litellm paths ignore their own timeout), retries only 408/429/5xx and
connection errors within that deadline (honouring Retry-After), tries a configured fallback
model, and maps every litellm exception to ``drafter.errors`` without echoing the provider's
message (which can contain keys or user text).

The embedded models (``drafter.model.registry``) are a litellm custom provider
(``embedded/<name>``) that runs llama.cpp in-process through ``drafter.model.runtime``.

With ``DRAFTER_ROUTER_CONFIG`` the calls go through a litellm Router over the file's
deployments (``drafter.model.router_config``): the pool is one model group (spread, retried
only on timeouts, 429, 5xx and connection errors, a failing deployment cooled down), each
fallback a group of its own, tried here in order after a retryable failure only (never after a
4xx). With ``DRAFTER_STATE_URL=redis://...`` the Router keeps its cooldowns and usage there, so
every worker and replica skips a deployment one of them found failing.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any

from drafter.config import ROUTER_MODEL, Settings, prepare_litellm_env, provider_key
from drafter.errors import (
    ConfigError,
    DrafterError,
    ModelError,
    ModelRateLimited,
    ModelRefused,
    ModelTimeout,
    ModelUnavailable,
    ProviderFailed,
)
from drafter.model.protocol import Completion, CompletionRequest
from drafter.model.registry import EMBEDDED_PROVIDER, embedded_model, is_embedded
from drafter.model.router_config import RouterConfig, load_router_config
from drafter.model.runtime import get_runtime
from drafter.model.weights import resolve_weights
from drafter.progress import Progress, quiet

prepare_litellm_env()

import litellm  # noqa: E402 - the environment must be prepared first
from litellm import exceptions as lx  # noqa: E402
from litellm.llms.custom_llm import CustomLLM  # noqa: E402
from litellm.router import Router  # noqa: E402
from litellm.types.router import RetryPolicy  # noqa: E402
from litellm.types.utils import ModelResponse  # noqa: E402
from litellm.utils import custom_llm_setup  # noqa: E402

__all__ = ["LiteLLMClient", "fill_response", "map_exception"]

litellm.telemetry = False
litellm.suppress_debug_info = True
litellm.drop_params = True  # providers that cannot enforce a schema get it dropped, not an error
for _name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# The name the JSON logs have always carried (their "logger" field), kept for log queries.
log = logging.getLogger("drafter.llm")
_RETRYABLE = {408, 429, 500, 502, 503, 504}
_FILTERED = re.compile(r"content[_ ](?:policy|filter)|safety system", re.IGNORECASE)


def fill_response(response: ModelResponse, *, model: str, text: str, finish_reason: str,
                  prompt_tokens: int, completion_tokens: int) -> ModelResponse:
    """What an in-process litellm provider returns: litellm's response object filled in
    (the embedded model here; the benchmarks' instant fake provider too)."""
    response.choices[0].message.content = text
    # litellm types it as a Literal of its own reasons; ours are "stop" and "length".
    response.choices[0].finish_reason = finish_reason  # type: ignore[assignment]
    response.model = model
    response.usage = litellm.Usage(  # type: ignore[attr-defined]
        prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens)
    return response


class _EmbeddedProvider(CustomLLM):
    """litellm provider ``embedded``: llama.cpp in-process, one model loaded per process."""

    def __init__(self, settings: Settings, progress: Progress) -> None:
        super().__init__()
        self._settings = settings
        self._progress = progress

    def runtime(self, model: str) -> Any:
        entry = embedded_model(model)  # litellm may pass the id with or without "embedded/"
        s = self._settings
        path = resolve_weights(entry.name, cache_dir=s.cache_dir, model_path=s.model_path,
                               progress=self._progress)
        return get_runtime(path, n_ctx=s.n_ctx, n_threads=s.n_threads,
                           expected_sha256=entry.sha256, state_dir=s.cache_dir / "kv")

    def completion(  # type: ignore[override]  # litellm passes everything by keyword
            self, model: str, messages: list[dict[str, str]], *args: Any,
            optional_params: dict[str, Any], model_response: ModelResponse,
            **kwargs: Any) -> ModelResponse:
        rt = self.runtime(model)
        fmt = optional_params.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema") if isinstance(fmt, dict) else None
        extra = optional_params.get("extra_body") or {}
        out = rt.chat(
            [{"role": m["role"], "content": m["content"]} for m in messages],
            max_tokens=int(optional_params.get("max_tokens") or 320),
            temperature=float(optional_params.get("temperature", 0.4)),
            seed=optional_params.get("seed"),
            json_schema=schema, decoding=self._settings.embedded_decoding,
            deadline=extra.get("drafter_deadline"),
        )
        return fill_response(model_response, model=model, text=out.text,
                             finish_reason=out.finish_reason or "stop",
                             prompt_tokens=out.prompt_tokens,
                             completion_tokens=out.completion_tokens)

    async def acompletion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        # llama.cpp blocks: run it in a worker thread so the event loop stays responsive.
        return await asyncio.to_thread(self.completion, *args, **kwargs)


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    return code if isinstance(code, int) else None


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        value = headers.get("retry-after")
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _bad_credentials(model: str) -> ConfigError:
    return ConfigError(f"the provider rejected the credentials for {model}: check "
                       "DRAFTER_API_KEY")


def _unknown_model(model: str) -> ConfigError:
    return ConfigError(f"the provider does not know model {model}: check DRAFTER_MODEL")


def _mapped_by_type(exc: BaseException, model: str) -> DrafterError | None:
    table: list[tuple[tuple[type[BaseException], ...], DrafterError]] = [
        ((lx.ContentPolicyViolationError,), ModelRefused(
            f"the provider of {model} refused the request (content filter); rephrase the goal "
            "or the public work")),
        ((lx.Timeout,), ModelTimeout(
            f"{model} did not answer in time; try again or raise DRAFTER_TIMEOUT_S")),
        ((lx.APIConnectionError,), ModelUnavailable(
            f"{model} is unreachable right now; try again later or set "
            "DRAFTER_FALLBACK_MODEL")),
        ((lx.RateLimitError,), ModelRateLimited(
            f"{model} is rate limiting requests; retry later", retry_after=_retry_after(exc))),
        ((lx.AuthenticationError, lx.PermissionDeniedError), _bad_credentials(model)),
        ((lx.NotFoundError,), _unknown_model(model)),
        ((lx.BadRequestError,), ModelError(
            f"the provider rejected the request to {model} as invalid")),
    ]
    if isinstance(exc, lx.BadRequestError) and _FILTERED.search(str(exc)):
        return table[0][1]  # some OpenAI-compatible paths report the filter as a plain 400
    return next((err for kinds, err in table if isinstance(exc, kinds)), None)


def _mapped_by_status(status: int | None, model: str) -> DrafterError | None:
    # Some provider paths raise a bare APIError for 401/403/404 instead of the typed ones.
    if status in {401, 403}:
        return _bad_credentials(model)
    if status == 404:
        return _unknown_model(model)
    if status in _RETRYABLE:
        return ProviderFailed(f"the provider of {model} failed (HTTP {status}); try again "
                              "later or set DRAFTER_FALLBACK_MODEL")
    return None


def _ours(exc: BaseException) -> DrafterError | None:
    """One of our errors that litellm wrapped: the embedded provider raises ours (bad weights,
    a prompt too long for the context), and litellm re-raises them as connection errors."""
    seen: BaseException | None = exc
    for _ in range(8):  # a short chain: the error, litellm's wrapper, maybe one more
        if seen is None:
            return None
        if isinstance(seen, DrafterError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def map_exception(exc: BaseException, model: str) -> DrafterError:
    """litellm's exceptions -> ours. The provider's own message is never passed on."""
    ours = _ours(exc)
    if ours is not None:
        return ours
    mapped = _mapped_by_type(exc, model) or _mapped_by_status(_status(exc), model)
    if mapped is not None:
        return mapped
    return ModelError(f"the call to {model} failed ({type(exc).__name__})")


class LiteLLMClient:
    """A ModelClient over litellm, with an outer deadline, bounded retries and a fallback."""

    def __init__(self, settings: Settings, *, progress: Progress | None = None,
                 max_retries: int = 2) -> None:
        self._settings = settings
        self._max_retries = max_retries
        self._router: _Pool | None = None
        if settings.router_config is not None:
            self._router = _Pool(settings, settings.router_config)
            self._max_retries = 0  # the Router retries, and only what is retryable
        if is_embedded(settings.model) or is_embedded(settings.fallback_model or ""):
            handler = _EmbeddedProvider(settings, progress or quiet)
            self._embedded = handler
            litellm.custom_provider_map = [{"provider": EMBEDDED_PROVIDER,
                                            "custom_handler": handler}]
            custom_llm_setup()  # type: ignore[no-untyped-call]

    @property
    def model_id(self) -> str:
        return self._settings.model

    async def aclose(self) -> None:
        """Close what the client holds open (the Router's Redis connections)."""
        if self._router is not None:
            await self._router.aclose()

    def warm_up(self) -> None:
        """Verify and load the embedded model now (blocking; call it from a worker thread, as
        every llama.cpp call is made), so the first draft does not pay for it. Remote models
        need nothing."""
        if is_embedded(self._settings.model):
            self._embedded.runtime(self._settings.model)

    async def complete(self, request: CompletionRequest) -> Completion:
        deadline = time.monotonic() + self._settings.timeout_s
        models = [self._settings.model]
        if self._router is not None:
            models = self._router.groups  # the pool, then each fallback, in order
        elif self._settings.fallback_model:
            models.append(self._settings.fallback_model)
        error: DrafterError | None = None
        for model in models:
            try:
                return await self._with_retries(model, request, deadline)
            except (ModelUnavailable, ModelTimeout, ModelRateLimited) as exc:
                error = exc  # the next model (the fallback), if any, gets the rest of the time
        assert error is not None
        raise error

    async def _with_retries(self, model: str, request: CompletionRequest,
                            deadline: float) -> Completion:
        attempt = 0
        while True:
            try:
                return await self._once(model, request, deadline)
            except (ModelUnavailable, ModelRateLimited) as exc:
                backoff = self._settings.retry_backoff_s * 2 ** attempt
                wait = exc.retry_after or backoff
                attempt += 1
                if attempt > self._max_retries or time.monotonic() + wait >= deadline:
                    raise
                await asyncio.sleep(wait)

    async def _once(self, model: str, request: CompletionRequest, deadline: float) -> Completion:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ModelTimeout(f"{model} did not answer in time; raise DRAFTER_TIMEOUT_S")
        started = time.monotonic()
        kwargs = self._kwargs(model, request, deadline)
        call = (self._router.acompletion(kwargs) if self._router is not None
                else litellm.acompletion(**kwargs))
        try:
            # asyncio.timeout, not wait_for: no extra task per call (issue 17).
            async with asyncio.timeout(remaining):
                response = await call
        except TimeoutError as exc:
            log.warning("model call timed out", extra={"model": model,
                                                       "error_type": "model-timeout"})
            raise ModelTimeout(f"{model} did not answer within {self._settings.timeout_s:.0f} "
                               "s; try again or raise DRAFTER_TIMEOUT_S") from exc
        except Exception as exc:  # every provider failure becomes one of ours
            mapped = map_exception(exc, model)
            # Type and status only: the provider's message may echo the key or the prompt.
            log.warning("model call failed", extra={
                "model": model, "error_type": mapped.code, "http_status": _status(exc),
                "exception": type(exc).__name__})
            raise mapped from None
        if self._router is not None:
            model = self._router.served_by(response, model)
        completion = _to_completion(response, model, time.monotonic() - started)
        log.info("model call", extra={
            "model": model, "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": completion.completion_tokens,
            "latency_ms": round(completion.seconds * 1000, 1)})
        return completion

    def _kwargs(self, model: str, request: CompletionRequest,
                deadline: float) -> dict[str, Any]:
        s = self._settings
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": [m.model_dump() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            # A constant: litellm keys its cached HTTP clients on the timeout, so a per-call
            # value would build (and keep) a new client each call. The outer wait_for bounds
            # the call to the remaining time.
            "timeout": s.timeout_s,
            "num_retries": 0,
        }
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.json_schema is not None:
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "reply", "schema": request.json_schema}}
        if is_embedded(model):
            kwargs["extra_body"] = {"drafter_deadline": deadline}
            return kwargs
        if self._router is not None:  # keys, addresses and retries are the Router's
            del kwargs["num_retries"]
            return kwargs
        if s.api_key is not None:
            kwargs["api_key"] = s.api_key.get_secret_value()
        if s.api_base:
            kwargs["api_base"] = s.api_base
        return kwargs


class _Pool:
    """A litellm Router over DRAFTER_ROUTER_CONFIG's deployments."""

    def __init__(self, settings: Settings, path: Path) -> None:
        if settings.model != ROUTER_MODEL:
            raise ConfigError("DRAFTER_MODEL and DRAFTER_ROUTER_CONFIG are both set: list the "
                              "model in the router file's deployments and unset DRAFTER_MODEL")
        if settings.fallback_model:
            raise ConfigError("DRAFTER_FALLBACK_MODEL is not used with DRAFTER_ROUTER_CONFIG: "
                              "list it under the router file's fallbacks")
        config = load_router_config(path)
        model_list, self._served = _deployments(config, path)
        self.groups = [group for group, _ in config.groups()]
        n = config.retries
        # Only what a retry can cure: never a 4xx (the request, the key, the model name).
        policy = RetryPolicy(
            BadRequestErrorRetries=0, AuthenticationErrorRetries=0, NotFoundErrorRetries=0,
            ContentPolicyViolationErrorRetries=0, TimeoutErrorRetries=n,
            RateLimitErrorRetries=n, InternalServerErrorRetries=n,
            ServiceUnavailableErrorRetries=n, DefaultRetries=0)
        shared: dict[str, Any] = {}
        state = settings.state_url.get_secret_value()
        if state.startswith(("redis://", "rediss://", "redis+unix://")):
            shared["redis_url"] = state  # cooldowns and usage seen by every worker
        self._router = Router(
            model_list=model_list, num_retries=n, retry_policy=policy,
            cooldown_time=config.cooldown_s, allowed_fails=config.allowed_fails,
            retry_after=0, timeout=settings.timeout_s, **shared)

    async def acompletion(self, kwargs: dict[str, Any]) -> Any:
        return await self._router.acompletion(**kwargs)

    async def aclose(self) -> None:
        """Close the Router's connections to Redis (when the app stops)."""
        redis = self._router.health().store.redis_cache
        if redis is not None:
            await redis.disconnect()

    def served_by(self, response: Any, group: str) -> str:
        """The configured model of the deployment that answered (for results and logs)."""
        hidden = getattr(response, "_hidden_params", None) or {}
        ident = hidden.get("model_id") if isinstance(hidden, dict) else None
        return self._served.get(str(ident), group)


def _deployments(config: RouterConfig, path: Path) -> tuple[list[dict[str, Any]],
                                                             dict[str, str]]:
    model_list: list[dict[str, Any]] = []
    served: dict[str, str] = {}
    for group, deployments in config.groups():
        for i, d in enumerate(deployments):
            # A fixed id per deployment: the Router keys cooldowns on it, so every worker
            # (and replica) with the same file means the same deployment.
            ident = f"{group.removeprefix('router/')}-{i}"
            params: dict[str, Any] = {"model": d.model}
            if d.api_base:
                params["api_base"] = d.api_base
            if d.api_base and not d.api_key_env:
                # A server of one's own (llama.cpp's, vLLM, Ollama) asks for no key, but the
                # OpenAI-compatible client will not send a request without one.
                params["api_key"] = "sk-no-key-required"
            if d.api_key_env:
                key = provider_key(d.api_key_env)
                if key is None:
                    raise ConfigError(
                        f"DRAFTER_ROUTER_CONFIG {path}: {group} deployment {i} "
                        f"(api_key_env) names {d.api_key_env}, which is not set: set it to "
                        "the provider's key")
                params["api_key"] = key.get_secret_value()
            if d.rpm:
                params["rpm"] = d.rpm
            if d.weight:
                params["weight"] = d.weight
            model_list.append({"model_name": group, "litellm_params": params,
                               "model_info": {"id": ident}})
            served[ident] = d.model
    return model_list, served


def _to_completion(response: Any, model: str, seconds: float) -> Completion:
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise ModelUnavailable(f"{model} returned no choices; try again")
    choice = choices[0]
    content = getattr(getattr(choice, "message", None), "content", None) or ""
    finish = getattr(choice, "finish_reason", None)
    if finish == "content_filter" and not content.strip():
        raise ModelRefused(f"the provider of {model} filtered the reply (content filter); "
                           "rephrase the goal or the public work")
    if finish == "deadline":
        raise ModelTimeout(f"{model} did not finish in time; raise DRAFTER_TIMEOUT_S")
    usage = getattr(response, "usage", None)
    return Completion(
        text=content,
        model=model,
        finish_reason=finish,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        seconds=seconds,
    )
