"""Builds a small WordPiece vocabulary, writes it as Hugging Face
`tokenizer.json` / `tokenizer_config.json`, and tokenizes in Python exactly as
the BertNormalizer + BertPreTokenizer + WordPiece pipeline does, so reference
outputs can be computed without the `tokenizers` package.
"""
import string
import unicodedata

from words import COMMON_WORDS, SUFFIXES

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_vocab(pad_to=None):
    """Specials first (ids 0..4), then characters, suffixes, letter bigrams, words.
    Every lowercase ASCII word can be spelled from the pieces, so [UNK] only
    appears for characters outside the list."""
    tokens = list(SPECIALS)
    seen = set(tokens)

    def add(t):
        if t not in seen:
            seen.add(t)
            tokens.append(t)

    chars = string.ascii_lowercase + string.digits + string.punctuation
    for c in chars:
        add(c)
    for c in chars:
        add("##" + c)
    for s in SUFFIXES:
        add("##" + s)
    for a in string.ascii_lowercase:
        for b in string.ascii_lowercase:
            add("##" + a + b)
    for w in COMMON_WORDS:
        add(w.lower())
    if pad_to is not None:
        i = 0
        while len(tokens) < pad_to:
            add(f"[unused{i}]")
            i += 1
    return tokens


def tokenizer_json(vocab):
    ids = {t: i for i, t in enumerate(vocab)}
    added = [
        {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for t in SPECIALS
    ]
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [cls], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [sep], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def tokenizer_config(model_max_length=512):
    return {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "model_max_length": model_max_length,
        "clean_up_tokenization_spaces": True,
        "pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]",
        "sep_token": "[SEP]", "mask_token": "[MASK]",
    }


def _is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _normalize(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C")
                                       and ch not in "\t\n\r"):
            continue
        out.append(" " if ch.isspace() else ch)
    text = "".join(out).lower()
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _pre_tokenize(text):
    words, cur = [], []
    for ch in text:
        if ch.isspace():
            if cur:
                words.append("".join(cur))
                cur = []
        elif _is_punct(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        else:
            cur.append(ch)
    if cur:
        words.append("".join(cur))
    return words


def _wordpiece(word, ids):
    if len(word) > 100:
        return [ids["[UNK]"]]
    out, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in ids:
                found = ids[piece]
                break
            end -= 1
        if found is None:
            return [ids["[UNK]"]]
        out.append(found)
        start = end
    return out


def encode(vocab, text, pair=None, max_length=512):
    """Returns (input_ids, token_type_ids) for one text or one text pair (ASCII-safe;
    CJK handling is not reproduced, so keep reference inputs to Latin script)."""
    ids = {t: i for i, t in enumerate(vocab)}

    def pieces(t):
        return [p for w in _pre_tokenize(_normalize(t)) for p in _wordpiece(w, ids)]

    a = pieces(text)
    input_ids = [ids["[CLS]"]] + a + [ids["[SEP]"]]
    types = [0] * len(input_ids)
    if pair is not None:
        b = pieces(pair)
        input_ids += b + [ids["[SEP]"]]
        types += [1] * (len(b) + 1)
    assert len(input_ids) <= max_length, "reference inputs must not need truncation"
    return input_ids, types
