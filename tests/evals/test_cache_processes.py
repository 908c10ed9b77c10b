"""Two processes writing the same model-call cache keys at the same moment.

Each writer waits at a barrier shared with the other *after* its cache miss and before its
write, so both write every key together: with a fixed temporary name (``key.tmp``) one
writer's rename finds the file gone or renames the other's half-written file.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
from multiprocessing.synchronize import Barrier
from pathlib import Path

from drafter.evals.clients import CachingClient, CallStats
from drafter.model.protocol import CompletionRequest, Message
from drafter.model.testing import ScriptedModel

KEYS = 40
TEXT = "x" * 20_000  # long enough that a write is not one instant


def _writer(cache: str, barrier: Barrier) -> None:
    def reply(_request: CompletionRequest) -> str:
        barrier.wait(timeout=120)  # both processes missed this key: now both write it
        return TEXT

    client = CachingClient(ScriptedModel([reply]), Path(cache), "h", CallStats())

    async def run() -> None:
        for i in range(KEYS):
            req = CompletionRequest(messages=(Message(role="user", content=f"case {i}"),),
                                    seed=i)
            await client.complete(req)

    try:
        asyncio.run(run())
    except BaseException:
        barrier.abort()  # the other writer stops at once instead of waiting for this one
        raise


def test_two_processes_writing_the_same_keys_leave_valid_files(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), barrier)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0]
    files = sorted(tmp_path.rglob("*"))
    entries = [f for f in files if f.is_file()]
    assert len(entries) == KEYS, [f.name for f in entries if not f.name.endswith(".json")]
    for f in entries:
        entry = json.loads(f.read_text(encoding="utf-8"))
        assert entry["text"] == TEXT and f.name == f"{entry['key']}.json"
