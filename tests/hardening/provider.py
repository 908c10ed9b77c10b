"""A fake OpenAI-compatible provider on 127.0.0.1 that can misbehave on demand.

It serves ``POST /v1/chat/completions`` (and ``/chat/completions``): the wire in front of the
one fake model, ``drafter.model.testing.ScriptedModel``, which writes every successful reply,
so litellm and ``LiteLLMClient`` are exercised for real. The faults are the wire's own (they
must reach litellm as HTTP). What it does is decided, in order, by the next entry of
``script`` (when set), by ``always`` (when set: a provider that always does the same, such as
one deployment of a pool that is down) or by the request's model name, so a litellm model
string such as ``openai/status-503`` picks the fault with no shared state.
Actions: ``ok``, ``delay-<seconds>``, ``hang``, ``status-<code>`` (429 carries Retry-After),
``retry-after-<seconds>`` (a 429), ``badjson``, ``empty-choices``, ``no-usage``,
``content-filter``, ``content-policy``, ``reset``, ``leak-key`` (a 401 whose body echoes
the bearer token) and
``chaos`` (a fault 20% of the time; ``ok`` otherwise). Used by tests and scripts/loadtest.py.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from drafter.model.protocol import Completion, CompletionRequest
from drafter.model.testing import ScriptedModel, reply_json
from drafter.types import Message

__all__ = ["CHAOS_FAULTS", "FakeProvider", "request_of"]

CHAOS_FAULTS = ("status-500", "status-503", "status-429", "badjson", "empty-choices",
                "content-filter", "reset", "delay-0.05", "status-400", "leak-key")


def request_of(body: dict[str, Any]) -> CompletionRequest:
    """A chat-completions request body, as the ``CompletionRequest`` the fake model takes."""
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") if isinstance(fmt, dict) else None
    return CompletionRequest(
        messages=tuple(Message(role=m["role"], content=str(m.get("content") or ""))
                       for m in body.get("messages", [])),
        max_tokens=int(body.get("max_tokens") or 320),
        temperature=float(body.get("temperature", 0.4)), seed=body.get("seed"),
        json_schema=schema)


def _first_line_model() -> ScriptedModel:
    # A valid draft of any request, quoting its first evidence line. Not recording: the
    # provider keeps the bodies (``seen``), and the load test's thousands of requests stay
    # out of the memory it reports.
    return ScriptedModel([reply_json(None)], record=False)


@dataclass
class FakeProvider:
    """Start with ``start()`` (or as a context manager); ``url`` is the api_base to use."""

    model: ScriptedModel = field(default_factory=_first_line_model)
    script: list[str] = field(default_factory=list)
    always: str | None = None
    seen: list[dict[str, Any]] = field(default_factory=list)
    chaos_rate: float = 0.2
    _server: ThreadingHTTPServer | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random = field(default_factory=lambda: random.Random(5))

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeProvider:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases handlers parked in "hang"
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def next_action(self, body: dict[str, Any]) -> str:
        with self._lock:
            self.seen.append(body)
            action = (self.script.pop(0) if self.script
                      else self.always or str(body.get("model", "ok")))
            if action == "chaos":
                faulty = self._rng.random() < self.chaos_rate
                action = self._rng.choice(CHAOS_FAULTS) if faulty else "ok"
        return action

    def hang(self, seconds: float = 60.0) -> None:
        self._stop.wait(seconds)

    def answer(self, body: dict[str, Any]) -> Completion:
        """The fake model's reply to a request body."""
        return self.model.respond(request_of(body))


def _completion(content: str, *, finish: str = "stop",
                tokens: tuple[int, int] | None = (0, 0)) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": "fake", "choices": [{"index": 0, "finish_reason": finish, "message": {
            "role": "assistant", "content": content}}]}
    if tokens is not None:
        out["usage"] = {"prompt_tokens": tokens[0], "completion_tokens": tokens[1],
                        "total_tokens": sum(tokens)}
    return out


def _reply(reply: Completion, *, usage: bool = True) -> dict[str, Any]:
    """The fake model's reply as a chat completion, with its token counts unless ``usage`` is
    False (a provider that omits them)."""
    tokens = (reply.prompt_tokens, reply.completion_tokens) if usage else None
    return _completion(reply.text, tokens=tokens)


def _error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "fake_error", "code": str(code)}}


def _handler_for(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            body = json.loads(raw or b"{}")
            _respond(self, provider, provider.next_action(body), body)

    return Handler


def _respond(h: BaseHTTPRequestHandler, p: FakeProvider, action: str,
             body: dict[str, Any]) -> None:
    kind, _, arg = action.partition("-") if action.startswith(("delay", "status", "retry")) \
        else (action, "", "")
    if kind == "delay":
        time.sleep(float(arg))
    if kind in {"ok", "delay"}:
        return _send(h, 200, _reply(p.answer(body)))
    if kind == "hang":
        p.hang()
        return None
    if kind == "retry":  # retry-after-<seconds>
        return _send(h, 429, _error(429, "slow down"), {"Retry-After": arg.split("-")[-1]})
    if kind == "status":
        extra = {"Retry-After": "1"} if arg == "429" else {}
        return _send(h, int(arg), _error(int(arg), f"fake {arg}"), extra)
    return _special(h, p, action, body)


def _special(h: BaseHTTPRequestHandler, p: FakeProvider, action: str,
             body: dict[str, Any]) -> None:
    if action == "badjson":
        return _send_raw(h, 200, b'{"choices": [{"message": ')
    if action == "empty-choices":
        return _send(h, 200, {**_completion(""), "choices": []})
    if action == "no-usage":
        return _send(h, 200, _reply(p.answer(body), usage=False))
    if action == "content-filter":
        return _send(h, 200, _completion("", finish="content_filter"))
    if action == "content-policy":  # the filter as an error, the way OpenAI reports it
        return _send(h, 400, {"error": {
            "message": "Your request was rejected as a result of our safety system.",
            "type": "invalid_request_error", "code": "content_policy_violation"}})
    if action == "leak-key":
        token = str(h.headers.get("authorization", "")).removeprefix("Bearer ")
        return _send(h, 401, _error(401, f"Incorrect API key provided: {token}"))
    if action == "reset":
        # SO_LINGER 0: close() sends an RST instead of a FIN, like a dropped connection.
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.close_connection = True
        h.connection.close()
        return None
    return _send(h, 500, _error(500, f"unknown fake action {action}"))


def _send(h: BaseHTTPRequestHandler, status: int, doc: dict[str, Any],
          headers: dict[str, str] | None = None) -> None:
    _send_raw(h, status, json.dumps(doc).encode(), headers)


def _send_raw(h: BaseHTTPRequestHandler, status: int, data: bytes,
              headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    # One request per connection: a test's event loop ends after its call, and a pooled
    # keep-alive socket would outlive it (an unclosed-socket warning at exit).
    h.send_header("Connection", "close")
    h.close_connection = True
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(data)
