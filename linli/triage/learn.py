"""The learned model: features, fitting, scoring and the file it lives in.

Features are TF-IDF weights of jieba words (with the domain dictionary) and of character
1–3-grams (which survive typos, dialect spellings and words the segmenter cuts badly); the
classifier is a multinomial logistic regression, so its scores are probabilities that can
be shown as a confidence and blended with the keyword rules. Everything runs on scikit-learn
on the machine itself: no download, no GPU, a few seconds to fit a few thousand texts.
"""

import hashlib
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from linli.triage import text


def pipeline() -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(analyzer=text.words, sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                      preprocessor=text.normalise, min_df=2)),
        ])),
        ("classify", LogisticRegression(C=20.0, max_iter=3000)),
    ])


def fit(texts: Sequence[str], codes: Sequence[str]) -> Pipeline:
    model = pipeline()
    model.fit(list(texts), list(codes))
    return model


def probabilities(model: Pipeline, texts: Sequence[str]) -> list[dict[str, float]]:
    """For each text, the probability of every category the model knows."""
    classes = [str(c) for c in model.classes_]
    # Our own vectors are finite and our parameters valid: skip sklearn's checks, which
    # cost more than the prediction for one sentence.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        rows = model.predict_proba(list(texts))
    return [dict(zip(classes, row.tolist(), strict=True)) for row in rows]


def ranked(scores: dict[str, float], limit: int = 3) -> list[tuple[str, float]]:
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(code, score) for code, score in best[:limit] if score > 0]


@dataclass
class Scores:
    """How well ranked guesses match the right codes."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    confusions: Counter = field(default_factory=Counter)  # (right, guessed first) -> count
    per_code: Counter = field(default_factory=Counter)  # right code -> texts
    per_code_top1: Counter = field(default_factory=Counter)  # right code -> guessed first

    def add(self, right: str, guesses: Sequence[str]) -> None:
        self.total += 1
        self.top1 += bool(guesses) and guesses[0] == right
        self.top3 += right in guesses[:3]
        self.per_code[right] += 1
        self.per_code_top1[right] += bool(guesses) and guesses[0] == right
        if guesses and guesses[0] != right:
            self.confusions[(right, guesses[0])] += 1

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def recall(self) -> dict[str, float]:
        """Per right code, the share of its texts whose first guess was right."""
        return {code: self.per_code_top1[code] / n for code, n in self.per_code.items()}

    def worst(self, n: int = 10) -> list[list]:
        return [[right, guessed, count]
                for (right, guessed), count in self.confusions.most_common(n)]


HOLD_ONE_IN = 5


def is_heldout(description: str) -> bool:
    """One text in five, chosen by a hash of its normalised words, is never learned from:
    every model is scored on texts no model has seen, so comparing the model in use with a
    new one is fair, and the same text is held out in every run and every process."""
    digest = hashlib.sha256(text.normalise(description).encode()).digest()
    return int.from_bytes(digest[:4], "big") % HOLD_ONE_IN == 0


def dumps(model: Pipeline) -> bytes:
    # The terms min_df dropped are kept only for introspection, as a set: its order (and so
    # the file's bytes) would change with every process's hash seed, and it is large.
    for _name, vectorizer in model.named_steps["features"].transformer_list:
        vectorizer.stop_words_ = None
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    return buffer.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ModelFileError(Exception):
    """The model file is missing, changed since it was written, or unreadable."""


def load(path: Path, expected_sha256: str) -> Pipeline:
    """Only a file whose content is exactly what training wrote is unpickled."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"cannot read {path.name}: {exc.strerror}") from exc
    if sha256(content) != expected_sha256:
        raise ModelFileError(f"{path.name} does not match its checksum")
    try:
        model = joblib.load(io.BytesIO(content))
    except Exception as exc:  # a truncated or foreign pickle raises anything
        raise ModelFileError(f"{path.name} cannot be read: {type(exc).__name__}") from exc
    if not hasattr(model, "predict_proba"):
        raise ModelFileError(f"{path.name} is not a triage model")
    return model
