"""Text representation shared by the comparison checks: segmentation, normalisation, TF-IDF, sentences.

Everything heavy is loaded lazily and once: the jieba dictionary (cached in the user cache dir),
the fitted vectorizer artifacts, spaCy. `targetqa score` on one report must start fast.
"""

from targetqa.text.normalize import (
    compact,
    mask_numbers,
    mask_project,
    row_key,
    row_template,
    sentence_key,
)
from targetqa.text.segment import cut, words

__all__ = ["compact", "cut", "mask_numbers", "mask_project", "row_key", "row_template", "sentence_key", "words"]
