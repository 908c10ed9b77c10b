"""The public Python API is exactly what drafter.__all__ says, and importing drafter stays
cheap (as httpx pins its public names)."""

from __future__ import annotations

import subprocess
import sys

import drafter

PUBLIC = [
    "Check", "ConfigError", "Draft", "DraftRequest", "DraftResult", "DrafterError",
    "FieldProblem", "GoalAssessment", "InputError", "ModelError", "Recipient", "Reference",
    "ScoreCard", "ScoreRequest", "Sender", "Settings", "Work", "__version__", "draft",
    "load_settings", "score",
]


def test_the_public_names_are_pinned() -> None:
    assert sorted(drafter.__all__) == sorted(PUBLIC)
    assert set(drafter._EXPORTS) == set(PUBLIC) - {"__version__"}, "every name has a module"
    for name in PUBLIC:
        assert getattr(drafter, name) is not None, name


def test_the_public_names_are_the_real_objects() -> None:
    from drafter.pipeline import draft
    from drafter.scoring import score_message
    from drafter.types import DraftRequest

    assert drafter.draft is draft and drafter.score is score_message
    assert drafter.DraftRequest is DraftRequest
    assert issubclass(drafter.InputError, drafter.DrafterError)


def test_scoring_through_the_public_api_needs_no_model() -> None:
    card = drafter.score("Hi Dana, can you refer me to your investors?")
    assert card.overall == "entitled"


def test_import_drafter_loads_no_heavy_dependency() -> None:
    code = ("import sys, drafter; heavy = [m for m in ('litellm', 'llama_cpp', 'fastapi', "
            "'httpx') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        drafter.nothing_here  # noqa: B018
    except AttributeError as exc:
        assert "nothing_here" in str(exc)
    else:
        raise AssertionError("drafter.nothing_here should not exist")


def test_the_pages_channel_menus_offer_exactly_the_channels() -> None:
    import re
    from importlib import resources

    from drafter.channels import CHANNEL_LIMITS, CHANNEL_NAMES, CHANNELS

    page = resources.files("drafter").joinpath("static/index.html").read_text("utf-8")
    menus = re.findall(r"<select[^>]*channel[^>]*>(.*?)</select>", page, re.DOTALL)
    assert len(menus) == 2, "the draft form and the score form"
    for menu in menus:
        assert tuple(re.findall(r'<option value="([^"]+)"', menu)) == CHANNELS
    assert set(CHANNEL_NAMES) == set(CHANNELS) <= set(CHANNEL_LIMITS)


def test_the_readmes_layout_names_every_module_of_the_package() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text("utf-8")
    named = set(re.findall(r"`(drafter/[\w/.]+)`", readme))
    top = {f"drafter/{p.name}" + ("/" if p.is_dir() else "")
           for p in (root / "drafter").iterdir()
           if (p.suffix == ".py" or (p.is_dir() and not p.name.startswith("__")))}
    assert top <= named, sorted(top - named)
    assert {n for n in named if n.count("/") == 1} <= top | {"drafter/"}, "no module that is gone"
