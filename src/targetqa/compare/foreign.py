"""Rows that belong elsewhere: rows copied from another project's table (DUP004), rows worded for
another kind of project (DUP005), and rows under the wrong 二级 by the classifier (CAT101)."""

from __future__ import annotations

from collections.abc import Iterator

from targetqa import rx
from targetqa.compare.context import TableSig
from targetqa.compare.reference import department_key
from targetqa.compare.tables import FOREIGN_CUTOFF, _part, majority_basis, row_fit_text
from targetqa.taxonomy import LEVEL1_OF_LEVEL2, canonical_level2, compact

MIN_FIT_GAIN = 0.08
MAX_PARTNERS = 24


def _vectorizer(an):
    models = an.ctx.models
    return models.tfidf if models is not None else None


def foreign_rows(an) -> Iterator[tuple]:
    """Rows nearly identical (ratio ≥ 90) to a row of another table that fit that other table
    clearly better than their own: by TF-IDF similarity to the table's title, goals and other
    rows, and by a basis or a word shared only with the other table."""
    tfidf = _vectorizer(an)
    if tfidf is None:
        return
    by_doc = {id(d): d for d in an.docs}
    generic = an.generic
    reported: set[tuple[int, int]] = set()
    # The verdict depends only on the two tables' content: copies of a table share it.
    keys: dict[int, tuple] = {}
    verdicts: dict[tuple, tuple | None] = {}

    def content_key(sig: TableSig) -> tuple:
        key = keys.get(id(sig))
        if key is None:
            key = keys[id(sig)] = (sig.title, sig.project, sig.purpose, tuple(sig.goals), tuple(r.key for r in sig.rows))
        return key

    # A row with near-copies in many tables is template wording (BOIL's business), not a row
    # that belongs to one other project; skipping it also keeps clusters of copies linear.
    # The index holds one table per content: a row's partners are the rows of every table of
    # the groups its key and its near keys occur in (tables of one group pair row for row).
    groups = an.groups
    index = an.key_index
    tables = [len(g) for g in groups]
    occurs = [sum(tables[h] for h, _ in post) for post in index.postings]  # key -> rows in all tables

    def partners(n: int, i: int) -> int:
        own = index.key_of[n]
        u = own[i]
        total = occurs[u] - own.count(u)  # rows of the table itself are not its partners
        for v, score in index.near[u]:
            if score >= FOREIGN_CUTOFF:
                total += occurs[v] - own.count(v)
        return total

    try:
        yield from _foreign(an, tfidf, groups, index, partners, generic, reported, verdicts, content_key, by_doc)
    finally:  # thousands of reports: the row and table vectors are not needed past this rule
        tfidf.__dict__.pop("_fits", None)
        tfidf._vectors.clear()
        tfidf._part_counts.clear()
        tfidf._bags.clear()


def _foreign(an, tfidf, groups, index, partners, generic, reported, verdicts, content_key, by_doc) -> Iterator[tuple]:  # noqa: ANN001, PLR0913
    for n, g in enumerate(groups):
        if not any(t.origin == "doc" and an.is_target(t.index) for t in g):
            continue
        for ia, u in enumerate(index.key_of[n]):
            if partners(n, ia) > MAX_PARTNERS:
                continue
            near = [(u, 100.0), *((v, sc) for v, sc in index.near[u] if sc >= FOREIGN_CUTOFF)]
            others = [(m, ib, sc) for v, sc in near for m, ib in index.postings[v]
                      if partners(m, ib) <= MAX_PARTNERS]
            for ta in g:
                if ta.origin != "doc" or not an.is_target(ta.index) or ia in generic.get(id(ta), ()):
                    continue
                for m, ib, score in others:
                    for tb in groups[m]:
                        if tb is ta or (id(ta), id(tb)) in an.copy_pairs or (id(ta), ia) in reported:
                            continue
                        if ib in generic.get(id(tb), ()):
                            continue
                        judged = (content_key(ta), ia, content_key(tb), ib)
                        if judged not in verdicts:
                            verdicts[judged] = _judge(tfidf, ta, ia, tb, ib)
                        found = verdicts[judged]
                        if found is None:
                            continue
                        why, short, gain = found
                        reported.add((id(ta), ia))
                        row = ta.rows[ia].row
                        other = tb.where(an.same_doc(ta, tb))
                        yield (
                            by_doc[id(ta.doc)], ta.table, row,
                            {"name": row.level3, "other": other, "other_row": tb.rows[ib].row_no, "why": short, "title": ta.title},
                            f"与{other}第{tb.rows[ib].row_no}行相似度 {score:.0f}%；{why}；与本表内容的相似度比与对方表低 {gain:.2f}",
                        )


def _fit(tfidf, row_text: str, sig: TableSig, skip: set[int]) -> float:
    """Similarity of a row to a table's context without the rows in `skip`, remembered on the
    vectorizer: copies of one table give the same pair once per candidate pair, k² times for k copies."""
    fits: dict[tuple, float] = tfidf.__dict__.setdefault("_fits", {})
    whole = sig.context
    without = tuple(sig.rows[i].text for i in sorted(skip) if sig.rows[i].text)
    key = (row_text, whole, without)
    found = fits.get(key)
    if found is None:
        if len(fits) >= 200000:
            fits.clear()
        found = fits[key] = tfidf.bag(whole).fit(row_text, without)
    return found


def _judge(tfidf, ta: TableSig, ia: int, tb: TableSig, ib: int) -> tuple[str, float] | None:
    ra = ta.rows[ia]
    # context of each table without the shared row (and without rows equal to it)
    skip_a = {i for i, r in enumerate(ta.rows) if i == ia or r.key == ra.key}
    skip_b = {i for i, r in enumerate(tb.rows) if i == ib or r.key == ra.key}
    fit_a = _fit(tfidf, ra.text, ta, skip_a)
    fit_b = _fit(tfidf, ra.text, tb, skip_b)
    gain = fit_b - fit_a
    if gain < MIN_FIT_GAIN:
        return None
    reasons, short = [], []
    basis = compact(_part(ra.key, 3))
    own_basis = majority_basis(ta, skip_a)
    other_basis = majority_basis(tb, skip_b)
    if basis and own_basis and basis != own_basis and basis == other_basis:
        reasons.append(f"依据“{basis}”是对方表的依据，本表其他行的依据是“{own_basis}”")
        short.append(f"依据“{basis}”是那张表的")
    from targetqa.compare.build import content_words

    own_words = set(content_words(row_fit_text(ta, skip_a)))
    other_words = set(content_words(row_fit_text(tb, skip_b)))
    said = content_words(_part(ra.key, 0) + " " + _part(ra.key, 1))  # name and description only
    distinctive = [w for w in dict.fromkeys(said) if len(w) >= 2 and w in other_words and w not in own_words]
    distinctive.sort(key=lambda w: -tfidf.idf_of(w))  # the rarest words say most
    if distinctive:
        words = "“" + "”“".join(distinctive[:3]) + "”"
        reasons.append(f"{words}只出现在对方表，本表其他内容没有")
        short.append(f"讲的是“{distinctive[0]}”")
    if not reasons:
        return None
    return "；".join(reasons), "，".join(short), gain


# --------------------------------------------------------------------------- other kind of project

_RESEARCH = rx.compile(r"结项|立项项目|课题|科研|研究任务|研究成果|学术论文|专利|开题|中期检查")
_RESEARCH_CONTEXT = rx.compile(r"研究|课题|科研|学术|论文|专利|调研项目")


def other_kind_rows(an) -> Iterator[tuple]:
    for n, (doc, sigs) in enumerate(zip(an.docs, an.ctx.doc_sigs)):
        for s in sigs if an.is_target(n) else ():
            head = " ".join([s.title, s.project, s.purpose, *s.goals])
            if _RESEARCH_CONTEXT.search(head):
                continue
            for r in s.rows:
                row = r.row
                text = compact(row.level3) + compact(row.description)
                cues = list(dict.fromkeys(_RESEARCH.findall(text)))
                if cues:
                    yield (
                        doc, s.table, row,
                        {"name": row.level3, "kind": "科研课题类项目", "cue": "”“".join(cues), "title": s.title},
                        f"描述：{row.description}；项目名称和目标中没有研究、课题类内容",
                    )


# --------------------------------------------------------------------------- CAT101

FLAGGABLE = ("数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标")


def _covered_by_row_rules(row, table, doc) -> bool:
    """True when a row rule of the CAT family already flags this row (timeliness under 成本,
    money under 数量 …): one finding per defect."""
    from targetqa.checks import check_rules

    for r in check_rules():
        if r.scope == "row" and r.family == "CAT":
            try:
                if any(True for _ in r.check(row, table, doc)):
                    return True
            except Exception:  # noqa: BLE001 - another module's bug must not hide this one
                continue
    return False


def _fits_written(row, pred: str, written: str) -> bool:
    """False when the row is a fair measure of the category it is written under, whatever the
    classifier prefers: counts of people or things are benefits too (受益人口数量 under 社会效益),
    and a rate (覆盖率) is rightly under 质量 even when its description counts people."""
    from targetqa.checks.semantics import Measure, measure_of

    if LEVEL1_OF_LEVEL2.get(written) == pred:
        return False  # 经济成本指标 is a kind of 成本指标 (the 2021 form's 成本 has three of them)
    if LEVEL1_OF_LEVEL2.get(written) == "效益指标" and pred in ("数量指标", "质量指标"):
        return False
    if written == "质量指标" and pred == "数量指标" and measure_of(row) is Measure.RATE:
        return False
    return True


def _probabilities(clf, tfidf, texts: list[str], dept: str) -> list:  # noqa: ANN001
    """`clf.predict_proba` row by row (each row's answer depends on its text alone), remembered
    on the classifier: the same rows recur across tables, reports and years."""
    memo = clf.__dict__.get("_probs")
    if memo is None or memo[0] is not tfidf or len(memo[1]) > 200000:
        memo = clf.__dict__["_probs"] = (tfidf, {})
    probs = memo[1]
    model = dept if dept in clf.departments else ""  # the held-out model `predict_proba` uses
    todo = list(dict.fromkeys(t for t in texts if (model, t) not in probs))
    if todo:
        for t, p in zip(todo, clf.predict_proba(tfidf, todo, dept)):
            probs[(model, t)] = p
    return [probs[(model, t)] for t in texts]


def level2_disagreements(an) -> Iterator[tuple]:
    from targetqa.compare.build import classifier_text
    from targetqa.compare.classify import MIN_PROB, cue

    models = an.ctx.models
    if models is None or models.classifier is None or models.tfidf is None:
        return
    clf, tfidf = models.classifier, models.tfidf
    for n, (doc, sigs) in enumerate(zip(an.docs, an.ctx.doc_sigs)):
        if not an.is_target(n):
            continue
        dept = department_key(doc)
        items = [(s, r.row) for s in sigs for r in s.rows if canonical_level2(r.row.level2) in clf.classes]
        if not items:
            continue
        probs = _probabilities(clf, tfidf, [classifier_text(row) for _, row in items], dept)
        for (s, row), p in zip(items, probs):
            k = int(p.argmax())
            pred, written = clf.classes[k], canonical_level2(row.level2)
            if pred == written or p[k] < MIN_PROB or pred not in FLAGGABLE:
                continue
            if not _fits_written(row, pred, written):
                continue
            text = f"{row.level3} {row.description}"
            c_pred, c_written = cue(pred, text), cue(written, text)
            if c_pred is None or c_written is not None:
                continue
            if _covered_by_row_rules(row, s.table, doc):
                continue
            yield (
                doc, s.table, row,
                {"name": row.level3, "written": row.level2, "pred": pred, "cue": c_pred, "prob": f"{p[k]:.2f}"},
                f"分类器：{pred} {p[k]:.2f}，{written} {p[clf.classes.index(written)]:.2f}；线索词“{c_pred}”；"
                f"“{written}”的用语未出现",
            )
