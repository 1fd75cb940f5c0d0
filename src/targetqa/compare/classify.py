"""CAT101: a level2 classifier (TF-IDF over jieba words + character n-grams → canonical 二级).

Fitted by `targetqa build-model` with scikit-learn's LogisticRegression (lbfgs, fixed seed) on
every corpus row whose 二级 label is known; applied at scoring time with numpy alone. The
coefficients are saved twice over: fitted on all rows, and once per corpus department with that
department's rows held out — a corpus report is judged by the model that never saw it.

A row is flagged only when three things agree (precision before recall: a reviewer stops
trusting a tool that flags clean rows):
1. the model is confident (probability ≥ MIN_PROB) that the row belongs to another 二级;
2. the row's own words carry a cue of that other 二级 (及时/时限 for 时效, 成本/经费/元 for 成本 …);
3. they carry no cue of the 二级 it was written under.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from targetqa import rx
from targetqa.taxonomy import compact

MIN_PROB = 0.6
SEED = 0
C = 4.0

# Words that say which 二级 a row belongs to. A row is flagged only with a cue of the predicted
# class and none of the written one.
CUES: dict[str, rx.Pattern[str]] = {
    "数量指标": rx.compile(r"数量|人数|次数|个数|户数|场次|人次|册数|种类|份数|条数|套数|个$|人$|次$"),
    "质量指标": rx.compile(r"合格|达标|准确|精准|完好|验收|质量|优良|通过率|正确率|规范|达标率|标准"),
    "时效指标": rx.compile(r"及时|时效|时限|按时|按期|期限|进度|月底|日前|年底前|限时|时间|完成时|当年|周期"),
    "成本指标": rx.compile(r"成本|经费|资金|费用|预算|金额|开支|单价|支出|控制数|补贴标准|补助标准|万元|元"),
    "经济效益指标": rx.compile(r"经济|收入|增收|产值|效益|节约|创收"),
    "社会效益指标": rx.compile(r"社会|群众|影响力|稳定|和谐|氛围|关爱|关怀|服务|素质|能力|水平|意识|作用"),
    "生态效益指标": rx.compile(r"生态|环境|绿化|污染|节能|低碳|排放|人居"),
    "可持续影响指标": rx.compile(r"持续|长期|长效|年限|机制|未来|可持续"),
    "服务对象满意度指标": rx.compile(r"满意"),
}


@dataclass
class Level2Classifier:
    classes: list[str]
    departments: list[str]  # departments with a held-out model
    arrays: object  # the npz file: coef_all/intercept_all, coef_k/intercept_k for departments[k]
    _weights: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Level2Classifier | None:
        meta_p, arr_p = directory / "level2.json", directory / "level2.npz"
        if not meta_p.is_file() or not arr_p.is_file():
            return None
        meta = json.loads(meta_p.read_text(encoding="utf-8"))
        return cls(meta["classes"], meta["held_out"], np.load(arr_p))

    def weights(self, department: str = "") -> tuple[np.ndarray, np.ndarray]:
        """(coefficients, intercepts) of the model that never saw `department` ("" or a department
        without a held-out model: the model fitted on all rows); read from the file on first use."""
        key = department if department in self.departments else ""
        if key not in self._weights:
            suffix = "all" if key == "" else str(self.departments.index(key))
            self._weights[key] = (self.arrays[f"coef_{suffix}"].astype(np.float64),
                                  self.arrays[f"intercept_{suffix}"].astype(np.float64))
        return self._weights[key]

    def predict_proba(self, tfidf, texts: list[str], department: str = "") -> np.ndarray:
        from targetqa.text.vectors import sparse_dot

        coef, intercept = self.weights(department)
        scores = sparse_dot(tfidf.matrix(texts), coef.T) + intercept
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)


def cue(label: str, text: str) -> str | None:
    pattern = CUES.get(label)
    if pattern is None:
        return None
    m = pattern.search(compact(text))
    return m.group(0) if m else None


def _fit(x, y, classes):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs", random_state=SEED)
    clf.fit(x, y)
    # align to the global class order (a held-out department may remove a class)
    coef = np.zeros((len(classes), x.shape[1]), dtype=np.float64)
    intercept = np.full(len(classes), -30.0, dtype=np.float64)
    for k, c in enumerate(clf.classes_):
        j = classes.index(c)
        if len(clf.classes_) == 2:  # binary: sklearn keeps one row for classes_[1]
            sign = 1.0 if k == 1 else -1.0
            coef[j] = sign * clf.coef_[0] / 2
            intercept[j] = sign * clf.intercept_[0] / 2
        else:
            coef[j] = clf.coef_[k]
            intercept[j] = clf.intercept_[k]
    return coef, intercept


def fit_classifier(tfidf, texts: list[str], labels: list[str], depts: list[str], out: Path) -> dict:
    from scipy.sparse import csr_matrix

    indptr, indices, data = tfidf.matrix(texts)
    x = csr_matrix((data, indices, indptr), shape=(len(texts), tfidf.width))
    y = np.asarray(labels)
    classes = sorted(set(labels))
    departments = sorted(set(depts))
    arrays: dict[str, np.ndarray] = {}
    coef, intercept = _fit(x, y, classes)
    arrays["coef_all"], arrays["intercept_all"] = coef.astype(np.float32), intercept.astype(np.float32)
    dept_arr = np.asarray(depts)
    held_out: list[str] = []
    for dept in departments:
        keep = dept_arr != dept
        if len(set(y[keep])) < 2:
            continue
        coef, intercept = _fit(x[keep], y[keep], classes)
        k = len(held_out)
        held_out.append(dept)
        arrays[f"coef_{k}"], arrays[f"intercept_{k}"] = coef.astype(np.float32), intercept.astype(np.float32)
    meta = {"classes": classes, "departments": departments, "held_out": held_out, "C": C, "seed": SEED,
            "rows": len(texts), "features": tfidf.width}
    from targetqa.compare.reference import dump_json

    dump_json(meta, out / "level2.json")
    _save_npz(out / "level2.npz", arrays)
    return {"classifier_rows": len(texts), "classes": len(classes), "features": tfidf.width}


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez_compressed with fixed zip timestamps, so reruns give the same bytes."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, buf.getvalue())
