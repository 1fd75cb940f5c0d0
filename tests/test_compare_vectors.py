"""The runtime TF-IDF (numpy, no scikit-learn import) equals scikit-learn's fitted transform,
and the normalisations do what the comparison rules rely on."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import seed
from targetqa.compare.build import classifier_text
from targetqa.model import Row, Table
from targetqa.text.normalize import mask_numbers, mask_project, programme_core, row_key, row_template, sentence_key, title_project
from targetqa.text.vectors import Tfidf, char_features, cosine, fit_tfidf, sparse_dot, word_features


@pytest.fixture(scope="module")
def fitted():
    texts = [classifier_text(r) for p in ("000", "001", "002", "004") for t in seed(p).tables for r in t.rows]
    model, matrix = fit_tfidf(texts)
    return texts, model, matrix


def test_runtime_transform_equals_scikit_learn(fitted):
    texts, model, matrix = fitted
    indptr, indices, data = Tfidf.from_json(model.to_json()).matrix(texts)
    from scipy.sparse import csr_matrix

    ours = csr_matrix((data, indices, indptr), shape=matrix.shape).toarray()
    assert np.allclose(ours, matrix.toarray(), atol=1e-5)


def test_sparse_dot_equals_dense(fitted):
    texts, model, matrix = fitted
    w = np.random.default_rng(0).normal(size=(model.width, 3))
    assert np.allclose(sparse_dot(model.matrix(texts[:50]), w), matrix[:50].toarray() @ w, atol=1e-5)


def test_features_mask_numbers_and_keep_operators():
    assert "≥#" in char_features("服务对象满意度 ≥ 90 %")
    assert "#%" in char_features("≥90%")
    assert "服务对象" in word_features("服务对象满意度")


def test_open_vocabulary_vector_keeps_unseen_words(fitted):
    _, model, _ = fitted
    v = model.vector("智慧党建综合服务中心")
    assert v and abs(sum(x * x for x in v.values()) - 1.0) < 1e-9
    assert cosine(v, model.vector("智慧党建综合服务中心")) == pytest.approx(1.0)
    assert cosine(v, model.vector("老党员生活补贴")) < 0.3


def test_row_key_template_and_masks():
    row = Row(level3="老党员生活补贴补助资金发放人数", description="老党员生活补贴补助资金发放", operator="=", value="100.00")
    assert row_key(row) == "老党员生活补贴补助资金发放人数|老党员生活补贴补助资金发放|=100.00|"
    assert row_template(row, "老党员生活补贴") == "〈项〉补助资金发放人数|〈项〉补助资金发放|=#"
    assert mask_numbers("2025年12月1日前") == "#年#月#日前"
    assert mask_project("督查工作完成率", "全区重点工作大督查活动经费") == "督查工作完成率"  # 'x督查工' is not in the name
    assert mask_project("大督查活动完成率", "全区重点工作大督查活动经费") == "〈项〉完成率"


def test_title_project_and_programme_core():
    t = Table(table_no=4, title="4、党员档案县级集中管理经费绩效目标表", project="党内关爱专项资金")
    assert title_project(t) == "党员档案县级集中管理经费"
    assert programme_core("提前下达2021年老党员生活补贴省级补助经费") == programme_core("2021年老党员生活补贴中央补助经费")
    assert programme_core("党内关爱专项资金") != programme_core("党员档案县级集中管理经费")


def test_sentence_key_drops_numbering_labels_and_punctuation():
    assert sentence_key("（一）绩效目标：区管干部管理工作；") == "区管干部管理工作"
    assert sentence_key("加强党员管理,不断提高") == sentence_key("加强党员管理，不断提高")


def test_bag_fit_equals_the_cosine_with_the_bag_weighed_anew(fitted):
    """A table's context without some of its rows, weighed by subtracting their counts, is the
    same vector as the remaining texts counted and weighed from scratch."""
    from collections import Counter

    texts, model, _ = fitted
    table = tuple(texts[40:52])
    for row, without in ((texts[44], (texts[44],)), (texts[3], (texts[41], texts[47])), (texts[45], ()), (texts[40], table)):
        rest = Counter(table)
        rest.subtract(without)
        kept = [t for t, n in rest.items() for _ in range(n)]
        words, chars = Counter(), Counter()
        for t in kept:
            w, c = model._counts(t)
            words.update(w)
            chars.update(c)
        expected = cosine(model.vector(row), model._weigh(words, chars)) if kept else 0.0
        assert model.bag(table).fit(row, without) == pytest.approx(expected, abs=1e-9)


def test_a_title_that_only_names_the_form_leaves_the_project_to_the_head():
    """realdocs D05 is titled '项目支出绩效目标表' over 项目名称 农村文化建设配套补助经费; 002's titles name
    their projects ('4、党员档案县级集中管理经费绩效目标表')."""
    assert title_project(Table(0, title="项目支出绩效目标表", project="农村文化建设配套补助经费")) == "农村文化建设配套补助经费"
    assert title_project(Table(0, title="2023年项目支出绩效目标表公开", project="学生伙食费")) == "学生伙食费"
    assert title_project(Table(0, title="4、党员档案县级集中管理经费绩效目标表", project="党内关爱")) == "党员档案县级集中管理经费"
