"""Repeated and carried-over prose (REP).

- Repeats inside a document: the same sentence (or ；-clause) pasted again within the next few
  sentences of the same section — the pattern of 000/002, where goal sentences stand two and
  three times in a row. Sections end at a labelled paragraph (绩效目标：…), a heading or a
  table, so the same 绩效标准 line under four different duties is not a repeat.
- Carried over: paragraphs whose sentences stand unchanged in an earlier report of the same
  department; sentences that also occur in another department's report are template wording
  (glossaries, legal boilerplate, province-wide duty texts) and never count.
- Stale year: a sentence of a year-Y report that speaks of Y−1 as the current year
  (“2024年，区委组织部将继续…” in a 2025 report).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from targetqa import rx
from targetqa.compare.reference import sentence_hash
from targetqa.model import Document
from targetqa.text.normalize import sentence_key
from targetqa.text.sentences import Paragraph, Sentence, paragraphs, sentences

WINDOW = 8  # sentences to look back for a repeat
MIN_KEY = 6  # characters (normalised) for a sentence to count as a repeat
MIN_CARRY = 12  # characters for a sentence to count as carried over
_HAN = rx.compile(r"[\u4e00-\u9fa5]")
_DIGIT = rx.compile(r"\d")
_LABEL = rx.compile(r"^([\u4e00-\u9fa5]{2,8})[：:]")
_HEADING = rx.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d))")
_DUTY = rx.compile(r"主要职责|职能配置|职责是")


_DUTY_SENTENCE = rx.compile(r"^(?:主要职责[：:])?(?:负责|承担)")
_DEFINITION = rx.compile(r"^(?:\d{1,2}[、.．])?[^：:，。]{2,16}[：:]指")  # glossary: '4、事业收入：指…'



def duty_sentences(doc: Document, sents: list[Sentence]) -> set[int]:
    """Sentences that state the department's duties (主要职责 paragraphs, '负责…' clauses) or define
    a term (the 名词解释 glossary): they stay the same from year to year by design and are never
    'carried over'."""
    paras = paragraphs(doc)
    out = set()
    for n, s in enumerate(sents):
        if _DUTY.search(paras[s.para].text[:40]) or _DUTY_SENTENCE.match(s.text) or _DEFINITION.match(s.text):
            out.add(n)
    return out


def _label(text: str) -> str:
    m = _LABEL.match(text)
    return m.group(1) if m else ""


def sections(paras: list[Paragraph]) -> list[int]:
    """Section number of each paragraph: a new section at a label, a heading or a gap."""
    out: list[int] = []
    sec = -1
    prev_end = -100
    for p in paras:
        gap = p.line - prev_end
        if not out or _label(p.text) or _HEADING.match(p.text) or gap > 6:
            sec += 1
        out.append(sec)
        prev_end = p.lines[-1][1]
    return out


@dataclass
class RepeatGroup:
    line: int
    label: str
    passages: list[tuple[str, int, list[int]]]  # (text, times, lines)


def _same(a: str, b: str, same_para: bool) -> bool:
    """Equal keys; inside one paragraph also a near copy with a slip (组织落实拔后备干部), but
    never for sentences with figures: '购置费0万元，与2024年预算持平' and '运行费0万元，与2024年
    预算持平' are parallel statements, not a paste."""
    if a == b:
        return True
    if not same_para or len(a) < 15 or len(b) < 15 or _DIGIT.search(a) or _DIGIT.search(b):
        return False
    return fuzz.ratio(a, b) >= 92


def repeated_sentences(doc: Document, sents: list[Sentence] | None = None) -> list[RepeatGroup]:
    paras = paragraphs(doc)
    sents = sents if sents is not None else sentences(doc)
    if not sents:
        return []
    sec_of_para = sections(paras)
    keys = [sentence_key(s.text) for s in sents]
    origin: dict[int, int] = {}
    for j, s in enumerate(sents):
        k = keys[j]
        if len(k) < MIN_KEY or len(_HAN.findall(k)) < 4:
            continue
        for i in range(j - 1, max(-1, j - WINDOW - 1), -1):
            if sec_of_para[sents[i].para] != sec_of_para[s.para]:
                break
            if _same(keys[i], k, sents[i].para == s.para):
                origin[j] = origin.get(i, i)
                break
    # a repeat across paragraphs must be a passage (two sentences in a row) or a long sentence
    for j in list(origin):
        if sents[j].para != sents[origin[j]].para:
            run = (j - 1 in origin) or (j + 1 in origin)
            if not run and len(keys[j]) < 30:
                del origin[j]
    if not origin:
        return []
    copies: dict[int, list[int]] = defaultdict(list)
    for j, root in origin.items():
        copies[root].append(j)
    by_section: dict[int, list[int]] = defaultdict(list)
    for root in sorted(copies):
        by_section[sec_of_para[sents[root].para]].append(root)
    out = []
    for sec, roots in sorted(by_section.items()):
        passages: list[tuple[str, int, list[int]]] = []
        run: list[int] = []
        for root in roots + [-1]:
            if run and (root != run[-1] + 1 or len(copies.get(root, [])) != len(copies[run[0]])):
                text = "".join(sents[r].text for r in run)
                times = 1 + len(copies[run[0]])
                lines = sorted({sents[run[0]].line, *(sents[c].line for c in copies[run[0]])})
                passages.append((text, times, lines))
                run = []
            if root >= 0:
                run.append(root)
        first = sents[roots[0]]
        para_idx = next(i for i, s in enumerate(sec_of_para) if s == sec)
        out.append(RepeatGroup(first.line, _label(paras[para_idx].text), passages))
    return out


# --------------------------------------------------------------------------- carried over


@dataclass
class Source:
    name: str
    dept: str
    year: int | None
    lines: list[int] = field(default_factory=list)


@dataclass
class CarryRun:
    line: int
    end_line: int
    labels: list[str]
    chars: int
    total: int
    source: Source


def carried_over(
    doc: Document,
    own_dept: str,
    lookup,  # sentence hash -> list of (source id, dept, year, name, line, duty)
    sents: list[Sentence] | None = None,
    keys: list[str] | None = None,  # sentence_key of each sentence, when known
) -> list[CarryRun]:
    """Runs of paragraphs whose sentences stand unchanged in an earlier same-department report."""
    paras = paragraphs(doc)
    sents = sents if sents is not None else sentences(doc)
    keys = keys if keys is not None else [sentence_key(s.text) for s in sents]
    duty = duty_sentences(doc, sents)
    by_para: dict[int, list[tuple[int, Sentence]]] = defaultdict(list)
    for n, s in enumerate(sents):
        by_para[s.para].append((n, s))
    flagged: dict[int, tuple[int, int, dict]] = {}
    known_paras: set[int] = set()  # paragraphs mostly made of text found elsewhere (template, duties)
    for p_idx, ss in by_para.items():
        total = carried = known = 0
        per_source: dict[tuple, list[int]] = defaultdict(list)
        for n, s in ss:
            k = keys[n]
            total += len(k)
            if len(k) < MIN_CARRY:
                continue
            occ = lookup(sentence_hash(k))
            if occ or n in duty:
                known += len(k)
            if n in duty or not occ or any(o[1] != own_dept or o[5] for o in occ):
                continue  # unseen, template wording shared with another department, or a duty
            earlier = [o for o in occ if o[2] is not None and doc.year is not None and o[2] < doc.year]
            if not earlier:
                continue
            carried += len(k)
            for o in earlier:
                per_source[(o[0], o[1], o[2], o[3])].append(o[4])
        if total and carried >= 20 and carried / total >= 0.5:
            flagged[p_idx] = (carried, total, per_source)
        elif total and (known / total >= 0.5 or total < 25):
            known_paras.add(p_idx)
    runs: list[CarryRun] = []
    current: list[int] = []

    def close() -> None:
        if not current:
            return
        chars = sum(flagged[i][0] for i in current)
        total = sum(flagged[i][1] for i in current)
        merged: dict[tuple, list[int]] = defaultdict(list)
        for i in current:
            for key, lines in flagged[i][2].items():
                merged[key].extend(lines)
        key = max(merged, key=lambda k: (len(merged[k]), k[2] or 0))
        src = Source(key[3], key[1], key[2], sorted(set(merged[key])))
        labels = []
        for i in current:
            lab = _label(paras[i].text)
            if lab and lab not in labels:
                labels.append(lab)
        runs.append(CarryRun(paras[current[0]].line, paras[current[-1]].lines[-1][1], labels, chars, total, src))

    for i in sorted(flagged):
        if current and not _bridged(current[-1], i, paras, known_paras):
            close()
            current = []
        current.append(i)
    close()
    return runs


def _bridged(a: int, b: int, paras: list[Paragraph], known: set[int], max_lines: int = 120) -> bool:
    """Flagged paragraphs a < b form one run when every paragraph between them is text found
    elsewhere too (duties, template wording, 绩效标准 lines) and they are close in the source."""
    if paras[b].line - paras[a].lines[-1][1] > max_lines:
        return False
    return all(k in known or _DUTY.search(paras[k].text[:40]) or _label(paras[k].text) == "绩效标准"
               for k in range(a + 1, b))


# --------------------------------------------------------------------------- stale year

_STALE = rx.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?\s*(20\d\d)\s*年度?[，,]\s*([^，。；]{0,24}?)(将|拟|计划|继续|预算安排|共计安排|安排|要)"
)


def stale_years(doc: Document, sents: list[Sentence] | None = None) -> list[tuple[Sentence, int, str]]:
    """Sentences of a year-Y report that open with 'Y−1年，… 将/安排 …'."""
    if not doc.year:
        return []
    sents = sents if sents is not None else sentences(doc)
    out = []
    for s in sents:
        m = _STALE.match(s.text)
        if m and int(m.group(1)) == doc.year - 1:
            out.append((s, int(m.group(1)), m.group(3)))
    return out
