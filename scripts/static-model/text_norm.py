"""Tokenisation shared by every build step; must match src/engine/embedding/static-tokenizer.ts.

NFKD, drop combining marks, lower-case, then runs of [a-z0-9]+.
"""
import re
import unicodedata

_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _TOKEN.findall(text.lower())


STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those which who whom whose what when where why how not no nor so than
    too very can will just do does did has have had having i me my we our you your he him his she
    her they them their there here into onto over under about above below up down out off again
    further then once all any both each few more most other some such only own same s t also may
    one used especially something someone etc see""".split()
)
