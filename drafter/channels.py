"""The channels a message goes out on, declared once: their names, labels and hard limits.

Imported by the wire types, the prompts, the scorer and the CLI (whose ``--help`` must not pay
for pydantic, hence a module of its own). The page's channel menus are pinned to ``CHANNELS``
by a test.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["CHANNELS", "CHANNEL_LIMITS", "CHANNEL_NAMES", "SHORT_CHANNELS", "Channel",
           "channel_limit"]

Channel = Literal["email", "linkedin_note", "linkedin_message", "dm"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
# Notes with room for a few lines only: shorter quotes, and no quote beside the sender's own
# mention of the work.
SHORT_CHANNELS: frozenset[Channel] = frozenset({"linkedin_note", "dm"})
# What a channel is called in a prompt or a message to the user.
CHANNEL_NAMES: dict[Channel, str] = {
    "email": "email",
    "linkedin_note": "LinkedIn connection note",
    "linkedin_message": "LinkedIn message",
    "dm": "direct message",
}

# Hard character limits per channel (docs/design/rubric.md: channel limits are validation,
# not advice).
CHANNEL_LIMITS: dict[str, int] = {
    "email": 2000,
    "linkedin_note": 300,
    "linkedin_note_free": 200,
    "linkedin_message": 1900,
    "dm": 1000,
}


def channel_limit(channel: Channel, *, linkedin_free_account: bool = False) -> int:
    """The hard character limit of a message body on ``channel``."""
    if channel == "linkedin_note" and linkedin_free_account:
        return CHANNEL_LIMITS["linkedin_note_free"]
    return CHANNEL_LIMITS[channel]
