"""Builds the training text from freely licensed English text packaged in Debian.

Writes two files of space-separated tokens, one passage per line:
  gen.txt   running text: dictionary definitions and examples, FOLDOC, Jargon File,
            Devil's Dictionary, V.E.R.A., fortunes, Jane Austen's novels, Gene Ontology
            term definitions.
  pairs.txt short "headword definition-word" lines (first 12 content words of each
            definition) and WordNet synonym lines, which pull a headword towards the
            words that define it.
Nothing here reads the evaluation data.
"""
import base64
import gzip
import glob
import os
import re
import sqlite3
import subprocess
import sys

from text_norm import STOPWORDS, tokenize

OUT = sys.argv[1] if len(sys.argv) > 1 else ".cache/static-model"
DICTD = "/usr/share/dictd"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64num(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def dictd_entries(name: str):
    """Yields (headword, body) of a dictd database, in index order, duplicates removed."""
    data = gzip.open(f"{DICTD}/{name}.dict.dz").read()
    seen = set()
    with open(f"{DICTD}/{name}.index", encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00-database") or parts[0].startswith("00database"):
                continue
            off, ln = b64num(parts[1]), b64num(parts[2])
            if (off, ln) in seen:
                continue
            seen.add((off, ln))
            body = data[off:off + ln].decode("utf-8", errors="replace")
            yield parts[0], body


_GCIDE_PRON = re.compile(r"\\[^\\\n]*\\")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_BRACES = re.compile(r"[{}]")
_PAREN_PRON = re.compile(r"\([^)]*[\[\]`\"*^=][^)]*\)")


def clean_dict_body(body: str) -> str:
    lines = body.split("\n")[1:]  # first line repeats the headword and its pronunciation
    text = " ".join(l.strip() for l in lines)
    text = _GCIDE_PRON.sub(" ", text)
    text = _BRACKETS.sub(" ", text)
    text = _PAREN_PRON.sub(" ", text)
    return _BRACES.sub("", text)


def definition_pair(headword_tokens, def_tokens):
    if len(headword_tokens) != 1 or headword_tokens[0].isdigit():
        return None
    content = [t for t in def_tokens if t not in STOPWORDS and t != headword_tokens[0] and not t.isdigit()][:12]
    if not content:
        return None
    return headword_tokens[0], content


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = open(f"{OUT}/gen.txt", "w")
    pairs = open(f"{OUT}/pairs.txt", "w")
    counts = {}

    def emit(src, toks):
        if len(toks) >= 2:
            gen.write(" ".join(toks) + "\n")
            counts[src] = counts.get(src, 0) + len(toks)

    def emit_pairs(head, content):
        for w in content:
            pairs.write(f"{head} {w}\n")
        counts["pairs"] = counts.get("pairs", 0) + 2 * len(content)

    # dictd dictionaries: each sense paragraph is a passage.
    for name in ["gcide", "foldoc", "jargon", "devil", "vera"]:
        if not os.path.exists(f"{DICTD}/{name}.index"):
            print("missing", name, file=sys.stderr)
            continue
        for head, body in dictd_entries(name):
            text = clean_dict_body(body)
            htoks = tokenize(head)
            for para in re.split(r"(?<=[.;])\s+(?=\d+\.\s)|\s{2,}", text):
                toks = tokenize(para)
                emit(name, toks)
            dp = definition_pair(htoks, tokenize(text))
            if dp:
                emit_pairs(*dp)

    # WordNet: glosses, examples, and synonym sets.
    for pos in ["noun", "verb", "adj", "adv"]:
        with open(f"/usr/share/wordnet/data.{pos}", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                head, _, gloss = line.partition(" | ")
                fields = head.split()
                nw = int(fields[3], 16)
                lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ") for i in range(nw)]
                parts = gloss.strip().split(";")
                defn = " ".join(p for p in parts if '"' not in p)
                examples = [p.strip().strip('"') for p in parts if '"' in p]
                dtoks = tokenize(defn)
                emit("wordnet", dtoks)
                for ex in examples:
                    emit("wordnet", tokenize(ex))
                single = [tokenize(l) for l in lemmas]
                single = [t[0] for t in single if len(t) == 1]
                if len(single) >= 2:
                    pairs.write(" ".join(single) + "\n")
                for l in lemmas:
                    dp = definition_pair(tokenize(l), dtoks)
                    if dp:
                        emit_pairs(*dp)

    # Fortunes (plain text, entries separated by '%').
    for path in sorted(glob.glob("/usr/share/games/fortunes/*")):
        if path.endswith(".dat") or path.endswith(".u8") or os.path.isdir(path) or "off" in path.split("/")[-2:-1]:
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for entry in f.read().split("\n%\n"):
                emit("fortunes", tokenize(entry))

    # Jane Austen's novels through R (r-cran-janeaustenr); paragraphs are blank-line separated.
    try:
        r = subprocess.run(
            ["Rscript", "-e",
             'library(janeaustenr); for (b in c("emma","mansfieldpark","northangerabbey","persuasion",'
             '"prideprejudice","sensesensibility")) writeLines(c(get(b), ""))'],
            capture_output=True, text=True, check=True)
        for para in r.stdout.split("\n\n"):
            emit("austen", tokenize(para))
    except (OSError, subprocess.CalledProcessError) as e:
        print("janeaustenr unavailable:", e, file=sys.stderr)

    # Gene Ontology term names and definitions (r-bioc-go.db).
    for db in glob.glob("/usr/lib/R/site-library/GO.db/extdata/GO.sqlite"):
        con = sqlite3.connect(db)
        for term, definition in con.execute("SELECT term, definition FROM go_term ORDER BY go_id"):
            emit("go", tokenize(f"{term}. {definition or ''}"))
            dp = definition_pair(tokenize(term)[-1:], tokenize(definition or ""))
            if dp:
                emit_pairs(*dp)

    gen.close()
    pairs.close()
    for k, v in sorted(counts.items()):
        print(f"{k}\t{v} tokens")
    print("total", sum(counts.values()))


if __name__ == "__main__":
    main()
