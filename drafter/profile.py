"""Sender profiles: who you are and what you can give, typed once and used by every draft.

Stored as TOML in ``<config_dir>/profiles.toml`` (``$XDG_CONFIG_HOME/drafter`` or
``~/.config/drafter``), one table per named profile::

    [profiles.default]
    name = "Sam Ortiz"
    about = "data engineer at a logistics company"
    offer = "my benchmark on 2 TB of skewed logs"

The file is the user's: read with the standard library's ``tomllib``, written with ``tomli_w``
(atomically, readable by its owner only), so a hand edit survives and a crash mid-write never
leaves half a file. Limits are those of the request's ``sender`` (drafter.types.Sender), so a
profile that saves is a sender that drafts.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from drafter.basemodels import Frozen
from drafter.errors import ConfigError, FieldProblem, InputError, NotFound
from drafter.types import Sender

__all__ = ["DEFAULT_PROFILE", "Profile", "ProfileStore"]

DEFAULT_PROFILE = "default"
FILE_NAME = "profiles.toml"
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


class Profile(Frozen):
    """One named sender: the request's ``sender`` fields."""

    name: str
    about: str
    offer: str | None = None

    def as_sender(self) -> dict[str, str | None]:
        return {"name": self.name, "about": self.about, "offer": self.offer}


def check_profile_name(name: str) -> str:
    if not _PROFILE_NAME.fullmatch(name):
        raise InputError(f"profile name {name!r} is not allowed: use 1-40 letters, digits, "
                         "'-' or '_'", [FieldProblem("--profile", "letters, digits, - or _")])
    return name


class ProfileStore:
    """The profiles file of one config directory."""

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / FILE_NAME

    def _read(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            return {}
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{self.path} is not valid TOML ({exc}); fix it by hand or "
                              "delete it and run 'drafter profile set' again") from None
        except OSError as exc:
            raise ConfigError(f"cannot read {self.path}: {exc.strerror}") from None
        profiles = data.get("profiles", {})
        if not isinstance(profiles, dict):
            raise ConfigError(f"{self.path}: 'profiles' must be a table of named profiles")
        return profiles

    def names(self) -> list[str]:
        return sorted(self._read())

    def get(self, name: str = DEFAULT_PROFILE) -> Profile:
        check_profile_name(name)
        raw = self._read().get(name)
        if raw is None:
            hint = (f"create it with: drafter profile set --profile {name} --name ... "
                    "--about ...") if name != DEFAULT_PROFILE else \
                "create it with: drafter profile set --name ... --about ..."
            raise NotFound(f"no sender profile named {name!r} in {self.path}; {hint}",
                           [FieldProblem("--profile", "no such profile")])
        try:
            return self._validated(raw)
        except InputError as exc:
            raise ConfigError(f"profile {name!r} in {self.path} is invalid: {exc.detail}; "
                              "set it again with 'drafter profile set'") from None

    def set(self, name: str, *, sender_name: str | None, about: str | None,
            offer: str | None) -> Profile:
        """Create or update a profile; fields not given keep their value."""
        check_profile_name(name)
        profiles = self._read()
        current: dict[str, Any] = dict(profiles.get(name) or {})
        for key, value in (("name", sender_name), ("about", about), ("offer", offer)):
            if value is not None:
                current[key] = value
        # An empty --offer removes the offer (a profile need not give anything).
        if current.get("offer") == "":
            current.pop("offer")
        profile = self._validated(current)
        profiles[name] = profile.model_dump(exclude_none=True)
        self._write(profiles)
        return profile

    def clear(self, name: str) -> None:
        check_profile_name(name)
        profiles = self._read()
        if name not in profiles:
            raise NotFound(f"no sender profile named {name!r} to clear in {self.path}",
                           [FieldProblem("--profile", "no such profile")])
        del profiles[name]
        self._write(profiles)

    @staticmethod
    def _validated(raw: dict[str, Any]) -> Profile:
        missing = [f"--{key}" for key in ("name", "about") if not raw.get(key)]
        if missing:
            raise InputError(f"a profile needs {' and '.join(missing)}",
                             [FieldProblem(m, "required") for m in missing])
        try:
            sender = Sender.model_validate({k: raw.get(k) for k in ("name", "about", "offer")})
        except ValidationError as exc:
            from drafter.validation import problems_from_errors, to_input_error

            problems = [FieldProblem("--" + p.field.removeprefix("sender.").split(".")[0],
                                     p.message) for p in problems_from_errors(exc.errors())]
            raise to_input_error(problems) from None
        return Profile(name=sender.name, about=sender.about, offer=sender.offer)

    def _write(self, profiles: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = tomli_w.dumps({"profiles": profiles})
        # Written beside the file and renamed over it: never half a file, owner-only (0600
        # from mkstemp), since it says who the user is.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".profiles-", suffix=".toml")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            Path(tmp).replace(self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
