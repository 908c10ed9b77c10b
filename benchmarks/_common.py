"""Shared helpers for the benchmarks: the fake model behind an instant litellm provider, the
example request, stats.

Every benchmark measures a figure *and* its baseline in the same run and prints the ratio, so
a busy machine moves both and the ratio stays meaningful.
"""

from __future__ import annotations

import os
import statistics
import sys
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FAKE_MODEL = "benchfake/instant"


def register_fake_provider() -> None:
    """Register litellm provider ``benchfake``: the one fake model (drafter.model.testing)
    behind litellm, answering a valid reply to the bundled example at once, no network.

    A litellm provider rather than the fake model itself: the baseline of figures 2 and 3 is
    a bare ``litellm.acompletion`` call, and drafter's side must pay for litellm as well."""
    from drafter.config import prepare_litellm_env
    from drafter.model.protocol import CompletionRequest
    from drafter.model.testing import ScriptedModel, reply_json
    from drafter.types import Message

    prepare_litellm_env()
    import litellm  # noqa: TID251 - the baseline is a bare litellm call
    from litellm.llms.custom_llm import CustomLLM  # noqa: TID251
    from litellm.types.utils import ModelResponse  # noqa: TID251
    from litellm.utils import custom_llm_setup  # noqa: TID251

    from drafter.model.litellm_client import fill_response

    # A valid draft of the bundled example, quoting its line found in the prompt. Requests are
    # not recorded: the soak would otherwise grow by every one of them.
    model = ScriptedModel([reply_json()], model_id=FAKE_MODEL, record=False)

    class Instant(CustomLLM):
        def completion(self, *args: Any, **kwargs: Any) -> ModelResponse:
            request = CompletionRequest(messages=tuple(
                Message(role=m["role"], content=m["content"]) for m in kwargs["messages"]))
            reply = model.respond(request)
            return fill_response(kwargs["model_response"], model=FAKE_MODEL, text=reply.text,
                                 finish_reason="stop", prompt_tokens=reply.prompt_tokens,
                                 completion_tokens=reply.completion_tokens)

        async def acompletion(self, *args: Any, **kwargs: Any) -> ModelResponse:
            return self.completion(*args, **kwargs)

    litellm.custom_provider_map = [{"provider": "benchfake", "custom_handler": Instant()}]
    custom_llm_setup()  # type: ignore[no-untyped-call]
    litellm.telemetry = False
    litellm.suppress_debug_info = True


def example_json() -> str:
    return resources.files("drafter").joinpath("examples/dana-li.json").read_text()


def fake_settings(**overrides: Any) -> Any:
    from drafter.config import load_settings

    base: dict[str, Any] = {"model": FAKE_MODEL, "fetch_urls": False,
                            "rate_limit_per_minute": 0}
    base.update(overrides)
    return load_settings(**base)


def example_messages() -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The rendered draft prompt of the example, and its JSON schema (what drafter sends)."""
    from drafter.pipeline import prepare
    from drafter.validation import parse_request

    prepared = prepare(parse_request(example_json()), settings=fake_settings(), fetched={})
    return [m.model_dump() for m in prepared.prompt.messages], prepared.schema


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# The flags that decide llama.cpp's kernels (and so the model-time figures); the rest of
# /proc/cpuinfo's list does not move any figure here.
_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2", "avx_vnni", "amx_tile")


def cpu_flags() -> str:
    """This CPU's relevant flags, e.g. ``avx avx2 bmi2 f16c fma; no AVX-512``."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown (no /proc/cpuinfo)"
    line = next((ln for ln in info.splitlines() if ln.startswith("flags")), "")
    flags = set(line.partition(":")[2].split())
    shown = sorted(f for f in flags if f in _FLAGS or f.startswith("avx512"))
    avx512 = "" if any(f.startswith("avx512") for f in flags) else "; no AVX-512"
    return " ".join(shown) + avx512


def machine() -> str:
    """One line: cores, CPU model and flags, RAM: printed beside every run's figures."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((ln.partition(":")[2].strip() for ln in info.splitlines()
                  if ln.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores, {model}, flags: {cpu_flags()}"


def header(title: str) -> None:
    print(f"\n== {title}  (load average {load_avg()}; {machine()})", flush=True)


def row(figure: str, value: str, baseline: str, ratio: str, target: str,  # noqa: PLR0917
        met: bool) -> None:
    """One result line; scripts/bench collects these into the summary table."""
    print(f"RESULT | {figure} | {value} | {baseline} | {ratio} | {target} | "
          f"{'yes' if met else 'NO'} |", flush=True)


def python() -> str:
    return sys.executable


if __name__ == "__main__":  # scripts/bench prints the machine line with this
    print(machine())
