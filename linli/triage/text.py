"""Words out of a description: normalising what people type, and jieba segmentation with a
domain dictionary (the category names and every keyword of the rules), so that 楼道灯 or
飞线充电 stay one word instead of falling apart into characters.

jieba's own dictionary loads once per process (about 1.5 s, then cached on disk by jieba);
the domain words are added on top when the rules change (`domain_words_add`).
"""

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

# What a description is cut to before it is read: a suggestion needs the gist, and a
# 4,000-character paste must cost what a sentence costs.
MAX_READ = 600
_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff]+")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, and only letters, digits and Chinese kept (a
    run of anything else becomes one space): punctuation and emoji carry no category."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_READ]).lower()
    return " ".join(_KEEP.findall(text))


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                made = jieba.Tokenizer()
                made.initialize()
                for word in _added:
                    made.add_word(word, freq=None)
                _tokenizer = made
    return _tokenizer


def domain_words_add(words: Iterable[str]) -> None:
    """Teach the segmenter words of our domain (idempotent; cheap for words it knows)."""
    fresh = {w for w in (normalise(word).replace(" ", "") for word in words)
             if len(w) >= 2 and w not in _added}
    if not fresh:
        return
    with _lock:
        _added.update(fresh)
        if _tokenizer is not None:
            for word in fresh:
                _tokenizer.add_word(word)


def words(text: str) -> list[str]:
    """The words of a (normalised) text, without single characters of no meaning."""
    out = []
    for token in tokenizer().lcut(normalise(text)):
        token = token.strip()
        if token and (len(token) > 1 or (token.isalnum() and not token.isascii())):
            out.append(token)
    return out
