"""Text vectors: normalisation and TF-IDF properties."""

from __future__ import annotations

import numpy as np
import pytest

from cartonet.orientation.text import char_ngrams, normalize, tfidf_matrix, word_tfidf_matrix, words


def test_normalize_and_words() -> None:
    assert normalize("Aide-Cuisinier / Aide-Cuisinière") == "aide cuisinier aide cuisiniere"
    assert words("Le soin des patients et la cuisine") == ["soin", "patients", "cuisine"]
    assert char_ngrams("ab", (3,)) == [" ab", "ab "]


@pytest.mark.parametrize("build", [tfidf_matrix, word_tfidf_matrix])
def test_rows_are_unit_or_zero_and_cosine_orders_sensibly(build: object) -> None:
    docs = [["cuisinier de collectivité"], ["Cuisinière en collectivité"], ["infirmier"], [], [""]]
    m = build(docs)  # type: ignore[operator]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert np.allclose(norms, [1, 1, 1, 0, 0])
    sims = (m @ m.T).toarray()
    assert sims[0, 1] > sims[0, 2]
    assert np.all(sims <= 1 + 1e-12) and np.all(sims >= 0)
