"""Prose → paragraphs → sentences.

Sentences end at 。！？ and ； (lists of goals are written as one sentence of ；-separated clauses,
and a pasted clause is the unit a reviewer points at). The reference splitter is spaCy's
rule-based `sentencizer` on a blank Chinese pipeline with the character segmenter (no model, no
jieba/pkuseg download). Importing spaCy costs ~0.6 s, more than half of the start-up budget of
`targetqa score`, so single reports use `split_fast`, a transcription of the sentencizer's rule
that `tests/test_tokens_backend.py` proves gives the same sentences as spaCy on all corpora prose.
`TARGETQA_SENTENCIZER=spacy` (or many documents at once, where the import is paid once) uses spaCy.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass

from targetqa import rx
from targetqa.model import Document

PUNCT_CHARS = ("。", "！", "？", "；")
_LOCK = threading.Lock()
_NLP = None
_END = rx.compile(r"[。！？：:]$")


def _is_punct(ch: str) -> bool:
    # spaCy's lexical attribute is_punct: every character is Unicode punctuation (P*)
    return unicodedata.category(ch).startswith("P")


def split_fast(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences, as spaCy's sentencizer gives them for
    a text without whitespace (one token per character)."""
    if not text:
        return []
    starts = [0]
    seen = False
    for i, ch in enumerate(text):
        in_punct = ch in PUNCT_CHARS
        if seen and not in_punct and not _is_punct(ch):
            starts.append(i)
            seen = False
        elif in_punct:
            seen = True
    ends = starts[1:] + [len(text)]
    return list(zip(starts, ends))


def nlp():
    """The blank Chinese spaCy pipeline with a sentencizer (built once)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                import spacy

                pipe = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
                pipe.add_pipe("sentencizer", config={"punct_chars": list(PUNCT_CHARS)})
                _NLP = pipe
    return _NLP


def split_spacy(text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    doc = nlp()(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


def use_spacy(n_docs: int = 1) -> bool:
    wanted = os.environ.get("TARGETQA_SENTENCIZER", "auto").strip().lower()
    if wanted == "spacy":
        return True
    if wanted == "fast":
        return False
    # spaCy's pipeline costs ~50 ms a report; its rule (split_fast) is proven to split corpora/
    # identically, so it serves scoring and the leaderboard, and spaCy builds the reference.
    return _NLP is not None


@dataclass
class Sentence:
    text: str
    line: int  # source line where the sentence starts
    para: int  # index of the paragraph in the document
    index: int  # index of the sentence in the document


@dataclass
class Paragraph:
    text: str
    line: int
    lines: list[tuple[int, int]]  # (char offset, source line) where each block starts


def paragraphs(doc: Document, max_gap: int = 3) -> list[Paragraph]:
    """Prose blocks joined into paragraphs: PDF/Word conversions wrap one paragraph over many
    lines (002 puts every wrapped line in its own block). A block continues the paragraph when it
    follows within `max_gap` lines and the paragraph so far does not end a sentence."""
    out: list[Paragraph] = []
    last_line = -100
    for block in doc.blocks:
        text = "".join(block.text.split())
        if not text:
            continue
        if out and block.line - last_line <= max_gap and not _END.search(out[-1].text):
            para = out[-1]
            para.lines.append((len(para.text), block.line))
            para.text += text
        else:
            out.append(Paragraph(text, block.line, [(0, block.line)]))
        last_line = block.line
    return out


def _line_at(para: Paragraph, offset: int) -> int:
    line = para.line
    for start, ln in para.lines:
        if start <= offset:
            line = ln
        else:
            break
    return line


def sentences(doc: Document, spacy_backend: bool | None = None) -> list[Sentence]:
    """Every sentence of the document's prose, in order, with its source line."""
    split = split_spacy if (use_spacy() if spacy_backend is None else spacy_backend) else split_fast
    out: list[Sentence] = []
    for p_index, para in enumerate(paragraphs(doc)):
        for start, end in split(para.text):
            text = para.text[start:end]
            if text:
                out.append(Sentence(text, _line_at(para, start), p_index, len(out)))
    return out
