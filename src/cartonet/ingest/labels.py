"""Small text rules shared by the loaders: splitting label lists, gendered job titles."""

from __future__ import annotations

from collections.abc import Iterable

_QUOTES = {"«": "»", '"': '"'}


def unique(labels: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Non-empty stripped labels in first-seen order, without repeats or ``exclude``."""
    seen = {e.strip() for e in exclude}
    out: list[str] = []
    for label in labels:
        label = label.strip()
        if label and label not in seen:
            seen.add(label)
            out.append(label)
    return out


def split_lines(text: str) -> list[str]:
    """ESCO's list fields (``altLabels``...): one value per line."""
    return unique(text.splitlines())


def split_pipes(text: str) -> list[str]:
    """ESCO collection files list alternative labels separated by ``" | "``."""
    return unique(text.split("|"))


def _split_outside_quotes(label: str, sep: str) -> list[str]:
    """Split on ``sep`` except inside «…» or "…" (a slash there is part of a name)."""
    parts, start, i, closing = [], 0, 0, None
    while i < len(label):
        ch = label[i]
        if closing is not None:
            if ch == closing:
                closing = None
        elif ch in _QUOTES:
            closing = _QUOTES[ch]
        elif label.startswith(sep, i):
            parts.append(label[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(label[start:])
    return parts


def gender_forms(label: str, sep: str = "/") -> tuple[str, ...]:
    """The masculine and feminine titles of a French job title written ``masc/fém``.

    French taxonomies write both genders in one label: ESCO as ``"directeur
    technique/directrice technique"``, ROME as ``"Agent / Agente de maîtrise"`` where the
    words after the feminine form are shared. Searching for ``"agent de maîtrise"`` works
    better when each form is also an alternative label, so the loaders add them.

    Parameters
    ----------
    label:
        The title.
    sep:
        ``"/"`` for ESCO, ``" / "`` for ROME (ROME also uses a bare ``/`` inside names, as
        in ``"Chef de rayon boucherie/charcuterie"``, which is not a gender split).

    Returns
    -------
    ``(masculine, feminine)``, or ``()`` when the label is not one such pair: no separator,
    several (outside quotes), or two halves that do not look like the same word declined
    (first words sharing their first three letters, or two one-word titles).

    Examples
    --------
    >>> gender_forms("Agent / Agente de maîtrise", " / ")
    ('Agent de maîtrise', 'Agente de maîtrise')
    >>> gender_forms("vendeur/vendeuse en articles de sport")
    ('vendeur en articles de sport', 'vendeuse en articles de sport')
    >>> gender_forms("responsable développement/expansion immobilière")
    ()
    """
    parts = _split_outside_quotes(label, sep)
    if len(parts) != 2:
        return ()
    left, right = parts[0].strip(), parts[1].strip()
    lw, rw = left.split(), right.split()
    if not lw or not rw:
        return ()
    if lw[0][:3].casefold() != rw[0][:3].casefold() and not (len(lw) == len(rw) == 1):
        return ()
    if len(rw) > len(lw):
        # The shared tail is written once, after the feminine form.
        left = " ".join(lw + rw[len(lw) :])
    return (left, right)
