"""Damaged real reports never crash extraction, the checks or the comparison.

Lines of the seeds are deleted, repeated, cut, shuffled and stripped of their tabs, the way a
careless conversion damages a document; whatever comes out, the pipeline must finish.
"""

from __future__ import annotations

import random

from conftest import CORPORA
from targetqa.catalog import select_rules
from targetqa.extract import extract_lines
from targetqa.ingest.clean import clean_text
from targetqa.model import Document
from targetqa.pipeline import audit


def _damaged(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.3:
            del lines[i]
        elif op < 0.5:
            lines.insert(i, rng.choice(lines))
        elif op < 0.7:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif op < 0.85:
            lines[i] = lines[i].replace("\t", " ")
        else:
            lines[i] = "".join(rng.sample(lines[i], len(lines[i])))
    return "\n".join(lines)


def test_damaged_reports_go_through_the_whole_pipeline():
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPORA.glob("*.txt"))]
    rng = random.Random(20261123)
    rules = select_rules()
    for round_ in range(12):
        docs = []
        for k in range(3):
            doc = Document(path=f"damaged-{round_}-{k}.txt", lines=clean_text(_damaged(rng.choice(texts), rng)))
            docs.append(extract_lines(doc))
        results = audit(docs, rules, use_corpus=round_ % 2 == 0)
        assert all(r.score is not None for r in results)


def test_plan_figures_run_together_are_not_read():
    # '0.0060.00': two plan figures a converter ran together; that one is not read (no crash),
    # the figure under 6月底 still is
    lines = ["1、某项目绩效目标表", "\t资金支出计划（累计进度%）", "\t3月底", "\t6月底", "", "\t0.0060.00", "\t90.00", "",
             "\t一级指标", "\t二级指标", "\t三级指标", "\t指标值", "", "\t产出指标", "\t数量指标", "\t培训人数", "\t≥100人", ""]
    doc = extract_lines(Document(path="x.txt", lines=lines))
    assert doc.tables and doc.tables[0].plan == [("6月底", 90.0)]
    assert doc.tables[0].rows[0].value == "100"


def test_a_finding_is_reported_once_though_a_line_holds_two_tables_rows():
    """Two value groups side by side (中期 and 年度) are two tables on the same lines: a row that
    is wrong in both gives one finding, not the same one twice. Over every real report."""
    from targetqa.ingest import load

    docs = [load(p) for p in sorted((CORPORA / "realdocs").glob("*.txt"))]
    shared = [d for d in docs if len({t.line for t in d.tables}) < len(d.tables) or any(
        {r.line for r in a.rows} & {r.line for r in b.rows} for a in d.tables for b in d.tables if a is not b)]
    assert shared  # some real page has two tables on the same lines
    for result in audit(docs, select_rules(None, None)):
        keys = [(f.code, f.line, f.message) for f in result.findings if f.line is not None]
        assert len(keys) == len(set(keys)), result.doc.name
