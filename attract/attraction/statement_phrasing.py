"""The attraction statement composed from side 1, as one grammatical English sentence.

Qualities are written the way people jot them down: "Values quality over the lowest price",
"Pays on time", "Open to new ideas", "Loyal.". The statement says "customers who …", so each
quality becomes the rest of a relative clause about many customers: a verb in the third person
singular turns plural ("Pays on time" → "pay on time"), a description gets "are" ("Open to new
ideas" → "are open to new ideas"), the first letter is lower-cased unless the word is a name or
an acronym, and ending punctuation is dropped so that the sentence ends with one full stop.
The rules are small on purpose: a quality they cannot read is kept as written.
"""

from __future__ import annotations

import re

# Words a quality may start with that describe rather than act: "customers who are …".
DESCRIBING = frozenset(
    [
        "able",
        "active",
        "always-on",
        "ambitious",
        "based",
        "calm",
        "careful",
        "clear",
        "close",
        "committed",
        "curious",
        "decisive",
        "eager",
        "easy",
        "fair",
        "flexible",
        "friendly",
        "generous",
        "happy",
        "honest",
        "humble",
        "in",
        "keen",
        "kind",
        "local",
        "located",
        "loyal",
        "near",
        "nearby",
        "not",
        "on",
        "open",
        "organised",
        "organized",
        "patient",
        "polite",
        "positive",
        "proud",
        "punctual",
        "quick",
        "ready",
        "reliable",
        "respectful",
        "responsive",
        "serious",
        "small",
        "smart",
        "straightforward",
        "thoughtful",
        "trustworthy",
        "truthful",
        "upfront",
        "warm",
        "welcoming",
        "willing",
        "within",
    ]
)
# Endings of describing words ("-ous", "-ful", "-ive", …); a phrase that starts with one gets "are".
DESCRIBING_ENDINGS = ("ous", "ful", "ive", "able", "ible", "less", "ish", "ed", "ing", "ic", "ant")
# Verbs whose plural is not the singular without its "s".
IRREGULAR = {"is": "are", "has": "have", "does": "do", "goes": "go", "was": "were"}
# Singular-looking words that are not verbs in the third person.
NOT_VERBS = frozenset(
    ["always", "its", "this", "his", "thus", "plus", "less", "across", "various", "famous"]
)
ADVERBS = frozenset(
    [
        "always",
        "never",
        "often",
        "usually",
        "rarely",
        "really",
        "truly",
        "genuinely",
        "actually",
        "also",
    ]
)
TRAILING = re.compile(r"[\s.;:,!]+$")
# A second verb joined by "and" is made plural too when an object follows it
# ("values our work and pays the price"), never a noun at the end ("friends and colleagues").
OBJECT_STARTS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "us",
        "on",
        "in",
        "for",
        "to",
        "with",
        "their",
        "them",
        "it",
        "every",
        "all",
        "what",
    ]
)


def _lower_first(word: str) -> str:
    """'Values' → 'values'; 'IKEA', 'McDonald's' and 'I' stay as they are."""
    if not word or word == "I" or not word[:1].isupper():
        return word
    rest = word[1:]
    if any(c.isupper() for c in rest):  # an acronym or a name with inner capitals
        return word
    return word[:1].lower() + rest


def _plural_verb(word: str) -> str | None:
    """The plural of a verb in the third person singular ('pays' → 'pay'), else None."""
    lower = word.lower()
    if lower in IRREGULAR:
        return IRREGULAR[lower]
    if lower in NOT_VERBS or len(lower) < 3 or not lower.endswith("s"):
        return None
    if lower.endswith(("ss", "us", "is", "ous")):
        return None
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"  # tries → try
    if lower.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return word[:-2]  # watches → watch, goes → go
    return word[:-1]  # pays → pay, values → value


def _describes(word: str) -> bool:
    lower = word.lower()
    return lower in DESCRIBING or (len(lower) > 4 and lower.endswith(DESCRIBING_ENDINGS))


def as_clause(text: str) -> str:
    """One quality as the rest of "customers who …"."""
    text = TRAILING.sub("", " ".join((text or "").split()))
    if not text:
        return ""
    if not ("a" <= text[:1].lower() <= "z"):
        return text  # another script or language: kept as written
    words = text.split(" ")
    first = words[0]
    lead: list[str] = []
    if first.lower() in ADVERBS and len(words) > 1:  # "Always pays on time"
        lead, words = [_lower_first(first)], words[1:]
        first = words[0]
    plural = _plural_verb(first)
    if plural is not None and (len(words) > 1 or first.lower() in IRREGULAR):
        words = [plural if lead else _lower_first(plural), *words[1:]]
        for i in range(1, len(words) - 2):
            if words[i] == "and" and words[i + 2].lower() in OBJECT_STARTS:
                words[i + 1] = _plural_verb(words[i + 1]) or words[i + 1]
        return " ".join(lead + words)
    words = [_lower_first(first) if not lead else first, *words[1:]]
    if lead or not _describes(first) and len(words) > 1:
        # A plural verb already ("Pay on time"), or an adverb before one.
        return " ".join(lead + words)
    return "are " + " ".join(words)


def join_clauses(clauses: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; "are" said once for descriptions in a row ("are
    curious, kind and loyal")."""
    clauses = [c for c in clauses if c]
    clauses = [
        c[4:] if i and c.startswith("are ") and clauses[i - 1].startswith("are ") else c
        for i, c in enumerate(clauses)
    ]
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]


def attraction_statement(qualities: list[str]) -> str:
    """'I am in the process of attracting customers who value quality over the lowest price,
    treat our staff with respect and pay on time.'"""
    listed = join_clauses([as_clause(text) for text in qualities])
    if not listed:
        return ""
    return f"I am in the process of attracting customers who {listed}."
