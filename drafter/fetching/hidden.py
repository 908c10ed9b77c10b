"""Which elements of a page a reader never sees: the hiding techniques a page can use to slip
a line past a person while a model still reads it (docs/design/threats.md #15, #32).

Markup and inline styles are not enough: a ``<style>`` rule can hide a class, ``!important``
can hide behind a value, and text can be invisible without ``display:none`` (a 1px font, white
on white, ``color:transparent``, a zero-height box with ``overflow:hidden``, a ``clip``, an
off-screen offset or transform, ``opacity:0.01``, ``<font color=white>``). So the page's own
style sheets are parsed (tinycss2) and applied (cssselect, lxml's selector engine), each
element's declarations merged in document order with its inline style last, and an element is
hidden when what it declares would hide it from a reader. This is deliberately not a full
cascade: it errs on the side of dropping text, because a dropped line only costs a quote while
a kept hidden line becomes evidence a model reads and a message may quote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import tinycss2
from cssselect import GenericTranslator, SelectorError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["hidden_elements"]

Declarations = dict[str, str]

# Utility classes that CSS frameworks use to hide elements (Tailwind, Bootstrap, WordPress).
_HIDING_CLASSES = frozenset({"hidden", "d-none", "invisible", "sr-only", "visually-hidden",
                             "screen-reader-text", "hide"})
_NUMBER = re.compile(r"(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|ch|ex|cm|mm|in)?")
_PX = {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "ch": 8.0, "ex": 8.0, "cm": 37.8,
       "mm": 3.78, "in": 96.0, "vw": 19.2, "vh": 10.8, "%": 0.16, "": 1.0}
_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0), "snow": (255, 250, 250),
          "ivory": (255, 255, 240), "whitesmoke": (245, 245, 245), "ghostwhite": (248, 248, 255),
          "floralwhite": (255, 250, 240), "mintcream": (245, 255, 250)}
_WHITE = (255, 255, 255)


def _px(value: str) -> float | None:
    """A length in CSS pixels (roughly, for the units a page would use to hide text)."""
    m = _NUMBER.match(value.strip())
    return float(m.group(1)) * _PX[m.group(2) or ""] if m else None


def _color(value: str) -> tuple[int, int, int] | None:
    """An opaque colour as RGB; None for one that cannot be read. Transparent is handled by
    the caller."""
    value = value.strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    hexa = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if hexa:
        h = hexa.group(1)
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h[:3])
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) if len(h) >= 6 else None
    rgb = re.fullmatch(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+).*\)", value)
    return (int(rgb.group(1)), int(rgb.group(2)), int(rgb.group(3))) if rgb else None


def _transparent(value: str) -> bool:
    value = value.strip().lower()
    if value == "transparent":
        return True
    alpha = re.fullmatch(r"(?:rgba|hsla)\(.*[,/]\s*(\d*\.?\d+)(%?)\s*\)", value)
    if alpha:
        a = float(alpha.group(1)) / (100 if alpha.group(2) else 1)
        return a < 0.1
    return bool(re.fullmatch(r"#[0-9a-f]{3}0|#[0-9a-f]{6}(?:0[0-9a-f]|1[0-9a])", value))


def _parse_declarations(css: str) -> Declarations:
    out: Declarations = {}
    for d in tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            out[d.lower_name] = tinycss2.serialize(d.value).strip().lower()
    return out


def _rules(css: str) -> list[tuple[str, Declarations]]:
    """(selector list, declarations) of every style rule, media queries included."""
    out: list[tuple[str, Declarations]] = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            out.append((tinycss2.serialize(rule.prelude).strip(),
                        _parse_declarations(tinycss2.serialize(rule.content))))
        elif rule.type == "at-rule" and rule.content is not None \
                and rule.lower_at_keyword in {"media", "supports", "layer", "container"}:
            out += _rules(tinycss2.serialize(rule.content))
    return out


def _offscreen(decl: Declarations) -> bool:
    for side in ("left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top"):
        px = _px(decl.get(side, ""))
        if px is not None and (px <= -100 or px >= 5000):
            return True
    transform = decl.get("transform", "")
    if re.search(r"scale[xy]?\(\s*0*\.?0+\s*[,)]", transform):
        return True
    return any((_px(v) or 0) <= -100 or (_px(v) or 0) >= 5000
               for v in re.findall(r"translate(?:[xy3d]|)\(([^)]*)\)", transform)
               for v in v.split(","))


def _collapsed(decl: Declarations) -> bool:
    """A box too small to show its text, with the overflow cut off."""
    if decl.get("overflow", decl.get("overflow-y", "")) not in {"hidden", "clip"}:
        return False
    return any((px := _px(decl.get(size, "x"))) is not None and px <= 1
               for size in ("height", "max-height", "width", "max-width"))


def _clipped(decl: Declarations) -> bool:
    clip = decl.get("clip", "")
    if clip.startswith("rect(") and all((_px(v) or 0) <= 1
                                        for v in re.split(r"[\s,]+", clip[5:-1]) if v):
        return True
    path = decl.get("clip-path", "")
    return bool(re.match(r"inset\(\s*(?:50|100)%|circle\(\s*0|polygon\(\s*0\S*\s+0\S*\s*\)",
                         path))


def _hides(decl: Declarations) -> bool:
    """The declarations would keep a reader from seeing the element's text."""
    if decl.get("display") == "none" or decl.get("visibility") in {"hidden", "collapse"}:
        return True
    size = _px(decl.get("font-size", "x"))
    if size is not None and size < 4:
        return True
    opacity = _NUMBER.match(decl.get("opacity", "x"))
    if opacity and float(opacity.group(1)) / (100 if opacity.group(2) == "%" else 1) < 0.1:
        return True
    if _transparent(decl.get("color", "")):
        return True
    return _collapsed(decl) or _clipped(decl) or _offscreen(decl)


def _background(el: HtmlElement, styles: dict[HtmlElement, Declarations]
                ) -> tuple[int, int, int]:
    """The nearest declared background colour at or above ``el`` (a page is white unless it
    says otherwise)."""
    node: HtmlElement | None = el
    while node is not None:
        decl = styles.get(node, {})
        for value in (decl.get("background-color", ""), decl.get("background", ""),
                      node.get("bgcolor", "")):
            for word in value.split():
                rgb = _color(word)
                if rgb is not None:
                    return rgb
        node = node.getparent()
    return _WHITE


def _same_colour(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) < 24


def _declared(root: HtmlElement) -> dict[HtmlElement, Declarations]:
    """Each element's declarations: matching ``<style>`` rules in order, then its inline
    style; ``<font color>`` as a colour."""
    styles: dict[HtmlElement, Declarations] = {}
    translator = GenericTranslator()
    for sheet in root.iter("style"):
        for selectors, decl in _rules(sheet.text or ""):
            if not decl:
                continue
            for selector in selectors.split(","):
                try:
                    xpath = translator.css_to_xpath(selector.strip())
                except SelectorError:  # :hover and the like: not a state a reader starts in
                    continue
                for el in root.xpath(xpath):
                    styles.setdefault(el, {}).update(decl)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "font" and el.get("color"):
            styles.setdefault(el, {})["color"] = el.get("color", "").lower()
        if el.get("style"):
            styles.setdefault(el, {}).update(_parse_declarations(el.get("style", "")))
    return styles


def hidden_elements(root: HtmlElement) -> list[HtmlElement]:
    """The elements of ``root`` a reader does not see (their whole subtree is hidden too).
    Call before the page's ``<style>`` elements are removed."""
    styles = _declared(root)
    out: list[HtmlElement] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("hidden") is not None or el.get("aria-hidden", "").strip().lower() == "true" \
                or not _HIDING_CLASSES.isdisjoint(el.get("class", "").lower().split()):
            out.append(el)
            continue
        decl = styles.get(el)
        if not decl:
            continue
        colour = _color(decl.get("color", ""))
        if _hides(decl) or (colour is not None and _same_colour(colour, _background(el, styles))):
            out.append(el)
    return out
