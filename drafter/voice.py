"""Words typed about the recipient, turned into words said to the recipient.

People type goals about the person they write to ("ask her whether the checklist in her post
is still what she uses"). A message needs the same thought addressed to that person ("Is the
checklist in your post still what you use?"). Copying the goal's wording into a draft is how a
small model ends up writing "How does Dana handle regressions?" to Dana. These are rules, not a
model: they are deterministic, fast and testable, and what they cannot turn into a clean
second-person sentence they leave to the checks, which reject it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drafter.wordlists import words

__all__ = ["SEND_YOU", "as_question", "calls_them_they", "first_person_fixes", "gerund",
           "kin_named", "name_parts", "offer_sentence", "recipient_family", "sentence",
           "to_second_person"]

_TOKEN = re.compile(r"\x00you|[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*|\s+|[^\sA-Za-z\d]")

_AFTER_OBJECT = words("after_object")
_SUBJECT_AFTER = words("subject_after")
_CAUSATIVE = words("causative")
_BARE_VERBS = words("bare_verbs")
# After these "her" is mostly whose ("saw her talk", "got her email"): the one doing something
# only before a verb ("saw her speak"); after "made", "let", "asked" it is always the person.
_SAW_GOT = frozenset({"see", "saw", "watch", "hear", "heard", "get", "got", "have", "had"})
_BIO_VERBS = words("bio_verbs")
_ADVERBS = words("adverbs")
# Verbs that end like an adverb ("he applies", "she replies" do not; these do).
_LY_VERBS = frozenset({"apply", "reply", "supply", "rely", "multiply", "imply", "comply", "ally",
                       "fly", "rally", "tally", "bully"})
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't",
          "isn't": "aren't", "wasn't": "weren't", "hasn't": "haven't", "'s": "'re"}
_SUBJECT_CONTRACTIONS = {"s": "'re", "d": "'d", "ll": "'ll", "ve": "'ve", "re": "'re"}
_FIRST_PERSON = {"i": "I", "im": "I'm", "i'm": "I'm", "ive": "I've", "i've": "I've",
                 "i'd": "I'd", "i'll": "I'll", "dont": "don't", "cant": "can't",
                 "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "u": "you",
                 "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
                 "thats": "that's", "whats": "what's", "theres": "there's", "wouldnt": "wouldn't",
                 "couldnt": "couldn't", "wont": "won't", "ppl": "people", "w/": "with",
                 "hes": "he's", "shes": "she's", "hed": "he'd", "theyre": "they're",
                 "theyd": "they'd", "theyve": "they've", "theyll": "they'll",
                 "youre": "you're", "wasnt": "wasn't", "hasnt": "hasn't", "havent": "haven't",
                 "arent": "aren't", "werent": "weren't", "shouldnt": "shouldn't",
                 "whos": "who's", "wheres": "where's", "hows": "how's",
                 # Shorthand that is never another word in lowercase: read ("you wrote abt
                 # the dinkie 550" is what they wrote about) and said as the words it stands for.
                 "abt": "about", "thru": "through", "tho": "though", "wk": "week",
                 "wks": "weeks", "yr": "year", "yrs": "years", "hrs": "hours", "tmrw": "tomorrow",
                 "cuz": "because", "bday": "birthday", "govt": "government",
                 # Days and months typed in lowercase show in a message ("paper out next
                 # tuesday"); "may" and "march" are also words, so they stay as typed.
                 **{w: w.capitalize() for w in words("calendar")}}
_AUX = words("aux")
# Who an inverted question is about: "how do you ...", "what should I ...".
_DO_HAVE = frozenset({"do", "does", "did", "has", "have", "had"})
_SUBJECTS = frozenset({"you", "i", "we", "they", "it", "there", "this", "that", "he", "she",
                       "people", "someone", "anyone", "one"})
_YOU_AUX = {"are": "Are", "were": "Were", "can": "Can", "could": "Could", "will": "Will",
            "would": "Would", "should": "Should", "have": "Have", "had": "Had", "do": "Do",
            "did": "Did", "might": "Might", "may": "May"}
_YOU_CONTRACTION = {"you're": ("Are", ""), "you'd": ("Would", ""), "you've": ("Have", ""),
                    "you'll": ("Will", "")}
_WH = words("wh")
_IRREGULAR_PAST = words("irregular_past")


_PARTICIPLES = frozenset({"got", "gotten", "been", "done", "had", "seen", "written", "taken",
                          "given", "made", "won", "read", "heard", "met", "found", "spent", "led",
                          "run", "built", "taught", "known", "shown", "grown", "sent", "kept"})
# "-ed" words that say how someone is, after "she's": "she's tired", "he's based in Leeds".
_STATE_ED = frozenset({"tired", "interested", "excited", "married", "based", "located",
                       "retired", "worried", "scared", "bored", "involved", "qualified",
                       "licensed", "certified", "booked", "swamped", "stressed", "annoyed",
                       "pleased", "surprised", "obsessed", "supposed", "used", "allowed",
                       "required", "expected", "considered", "named", "called", "paid"})


def _perfect(word: str) -> bool:
    """Whether "'s" before ``word`` is "has": a past participle, not a state."""
    return word in _PARTICIPLES or (word.endswith("ed") and len(word) > 4
                                    and word not in _STATE_ED)


def _pronoun(tok: str, prev: str, nxt: str, include_they: bool) -> tuple[str, bool]:
    """One token said to the recipient, and whether the next verb must agree with "you"."""
    low = tok.lower()
    if tok == "\x00you":
        return "you", prev in _SUBJECT_AFTER or not prev
    if low in {"she", "he"} or (include_they and low == "they"):
        return "you", low != "they"
    if m := re.fullmatch(r"(she|he|they)'(s|d|ll|ve|re)", low):
        # "the vets he's interviewed", "he's got a list": "has", said "you've".
        has = m.group(2) == "s" and _perfect(nxt)
        return ("you" + ("'ve" if has else _SUBJECT_CONTRACTIONS[m.group(2)])
                if include_they or m.group(1) != "they" else tok), False
    if low == "him" or (include_they and low == "them"):
        return "you", False
    if low == "his" or (include_they and low == "their"):
        return ("yours" if nxt in {"", ".", ",", "?", "!", ";", ")"} else "your"), False
    if low == "hers" or (include_they and low == "theirs"):
        return "yours", False
    if low == "her":
        # After "saw", "had", "let" ... "her" is the one who does the next verb ("saw her
        # speak"), but whose the next thing is before a noun ("saw her saint george revival").
        obj = nxt in _AFTER_OBJECT or not nxt[:1].isalnum() or (
            prev in _CAUSATIVE and (prev not in _SAW_GOT or nxt in _BARE_VERBS
                                    or nxt in _BIO_VERBS))
        return ("you" if obj else "your"), False
    if low in {"herself", "himself"} or (include_they and low in {"themselves", "themself"}):
        return "yourself", False
    return tok, False


def _verb_base(word: str) -> str:
    """'uses' -> 'use' after a subject that became 'you' (only plain lower-case verbs)."""
    if word in _AGREE:
        return _AGREE[word]
    if not word.isalpha() or not word.islower() or len(word) < 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ss|x|z|ch|sh|o)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def with_i(phrase: str) -> str:
    """"runs the robotics club" said after "I": "I run the robotics club" (a bio typed about
    oneself in the third person, "teaches 7th grade", keeps its meaning and loses the -s)."""
    lead = re.match(r"(?:(?:just|recently|also|still|newly|currently|finally|now|mostly|"
                    r"mainly|basically) )+", phrase)
    if lead and len(phrase) > lead.end():  # "also runs a club" -> "I also run a club"
        return with_i(phrase[lead.end():]).replace("I ", f"I {lead.group(0)}", 1)
    if re.match(r"(?:took|takes|take|cost|costs|got)\s+(?:me|us)\b", phrase, re.IGNORECASE):
        # "took me ages to figure ...": "it" did that to the sender, not "I took me".
        return f"It {phrase[0].lower()}{phrase[1:]}"
    head, _, rest = phrase.partition(" ")
    if head.islower():
        head = _I_AGREE.get(head) or (_verb_base(head) if head.endswith("s") else head)
    return " ".join(filter(None, ["I", head, rest]))


_I_AGREE = {"is": "am", "was": "was", "isn't": "am not", "wasn't": "wasn't"}


_TITLES = frozenset({"dr", "prof", "mr", "ms", "mrs", "professor"})


def name_parts(full_name: str) -> list[str]:
    """The words of a name that are the person's ("Dr. Dana Li" -> ["Dana", "Li"]).

    The lower-case words of a name written with capitals ("Ferrari the Thatcher", "Ludwig
    van Beethoven") are its glue, not a name said alone: taken for one, every "the" of a goal
    became "you" ("read ferrari you thatchers blog")."""
    words_ = [p for p in full_name.split()
              if len(p) > 1 and p.lower().rstrip(".") not in _TITLES]
    if any(p[:1].isupper() for p in words_):
        words_ = [p for p in words_ if not p.islower()]
    return [p for p in words_ if p.lower() not in {"the", "of", "and", "a", "an"}]


def _name_pattern(recipient_name: str) -> re.Pattern[str] | None:
    parts = name_parts(recipient_name)
    if not parts:
        return None
    names = sorted({recipient_name, *parts}, key=len, reverse=True)
    # Case-sensitive: "Li" the name, not "li" inside a word or a lower-case common word.
    alts = "|".join(re.escape(n) for n in names)
    lower = "|".join(re.escape(n.lower()) for n in names if len(n) > 2)
    # Typed in lower case ("send tim my cover"), a name is only taken for one right after a
    # verb that takes a person: elsewhere "tim" or "rose" may be an ordinary word.
    verbs = ("send", "ask", "tell", "thank", "email", "show", "give", "offer", "let", "get",
             "ping", "message", "invite", "pitch")
    behind = "|".join(f"(?<=\\b{v} )" for v in verbs)
    after_verb = f"|(?:{behind})(?:{lower})" if lower else ""
    return re.compile(rf"(?<![\w'’])(?:(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.? )?(?:{alts})"
                      rf"{after_verb})(?:['’]s\b)?(?![\w'’])")


def first_person_fixes(text: str) -> str:
    """'i think im ...' -> "I think I'm ...": typed shorthand the sender would not send."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        return _FIRST_PERSON.get(word.lower(), word) if word.islower() or word == "I" else word
    # "w mine from a car boot sale", "bc of stuff like this": "with", "because" between
    # words ("W" and "BC", capitalised, stay what they are).
    text = re.sub(r"(?<=[a-z,] )w (?=[a-z0-9])", "with ", text)
    text = re.sub(r"(?<=[a-z,] )bc (?=(?:of|i|im|i'm|we|he|she|they|it|its|it's|my|our|the|"
                  r"there|that|this|you)\b)", "because ", text)
    # "an hr of prep", "1 hr": an hour; "day job in hr" is human resources.
    text = re.sub(r"\b(an|a|per|one|half an|the|that|each|every|first|last|next|extra|prep|"
                  r"lunch|happy|rush|study|office|\d+) hr\b", r"\1 hour", text)
    # "how'd she deal w the holes": "how did" before a subject and a verb.
    text = re.sub(r"\b([Hh]ow|[Ww]hy|[Ww]here|[Ww]hat)'d (?=(?:you|he|she|they|u) [a-z]+)",
                  r"\1 did ", text)
    # "3rd year journalism, u of regina": a university, not "you".
    text = re.sub(r"\bu of (?=[a-z])", "U of ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<![\w'’])[A-Za-z]+(?:['’][a-z]+)?(?![\w'’])", fix, text)
    # "ill send her the handout", "ill be there": "I'll" (never "ill" the adjective, which
    # comes after "is", "was", "fell", "the" ...).
    text = re.sub(r"(?:(?<=^)|(?<=[.,;!?(] )|(?<=\band )|(?<=\bso )|(?<=\bthen ))ill "
                  r"(?=(?:send|share|make|do|be|bring|pay|get|give|write|put|credit|add|"
                  r"happily|gladly|also|definitely|try|email|mail|post|forward|drop|cover|"
                  r"buy|come|help|keep|let|link|tag|translate|record|scan)\b)", "I'll ", text)
    # "id like to", "Id be glad": "I'd" (an ID is never followed by these).
    text = re.sub(r"\b[Ii]d (?=(?:like|love|be|rather|need|want|prefer|appreciate)\b)", "I'd ",
                  text)
    # "last years numbers" is "last year's numbers" ("the last years of the war" stays).
    text = re.sub(r"\b([Ll]ast|[Tt]his|[Nn]ext) years (?!(?:of|ago|and|or|in|were|have|has|"
                  r"had|I|we|to|at|on|for|the|a|before|since|when|as|but)\b)(?=[a-z])",
                  r"\1 year's ", text)
    # "even tho its old." is "it's old": an adjective that ends its clause.
    text = re.sub(r"\bits (?=(?:old|new|great|good|true|hard|easy|cool|nice|amazing|helpful|"
                  r"brilliant|gorgeous|beautiful|perfect|wrong|right|broken)(?:[.,!?;]|$))",
                  "it's ", text)
    # "its ok" is "it's ok"; "its license" stays.
    return re.sub(r"\bits (?=(?:ok|okay|fine|alright|possible|worth|too|just|not|really|been|"
                  r"going|a|an|the|useful|still|any|every|all|only|free|yours|pretty|so|very|"
                  r"mostly|kind|totally|done|ready|out|live|up)\b)", "it's ", text)


_KIN = {"she": words("kin_she"), "he": words("kin_he")}
_PLURAL_PEOPLE = frozenset({"kids", "children", "students", "parents", "patients", "clients",
                            "customers", "players", "members", "readers", "people", "folks",
                            "ppl", "guys", "friends", "neighbours", "neighbors", "users",
                            "volunteers", "learners", "pts"})
_THEY_FORMS = frozenset({"they", "them", "their", "theirs", "themselves", "themself", "they'd",
                         "they've", "they're", "they'll", "they's"})
# Words in quotation marks: '...' opened after a space (never an apostrophe) or "...".
_QUOTED = re.compile(r"(?<![\w'])'[^'\n]{2,80}?'(?![\w])|\"[^\"\n]{2,200}\"|“[^”\n]{2,200}”")
_FAMILIES = {"she": {"she", "her", "hers", "herself", "she's", "she'd", "she'll", "she've"},
             "he": {"he", "him", "his", "himself", "he's", "he'd", "he'll", "he've"}}


_HE_SHE = re.compile(r"\b(?:(she|her|hers|herself)|(he|him|his|himself))\b", re.IGNORECASE)


def _families_meant(goal: str) -> list[str]:
    """The he/she families of the goal's pronouns in order, leaving out each one that follows a
    person of its gender named earlier in its sentence ("the lady whose kids said she wasnt
    hearing them": the lady, not the recipient)."""
    out: list[str] = []
    for part in re.split(r"[.!?]+(?:\s|$)", goal):
        for m in _HE_SHE.finditer(part):
            fam = "she" if m.group(1) else "he"
            if not kin_named(part[:m.start()], fam):
                out.append(fam)
    return out


def kin_named(before: str, family: str | None) -> bool:
    """Whether ``before`` names a relative or a person ("my mom", "the lady", "his sons") of
    ``family``'s gender (None: of either), whom a she/he after it then means."""
    kin = _KIN[family] if family else _KIN["she"] | _KIN["he"]
    return any(w in kin or (w.endswith("s") and w[:-1] in kin)
               for w in re.findall(r"[a-z]+", before.lower()))


def calls_them_they(goal: str, family: str | None) -> bool:
    """Whether the goal calls the recipient "they": no he/she of theirs, and a they form."""
    return family is None and re.search(r"\b(?:they|them|their|theirs|they're|theyre|theyd|"
                                        r"theyve)\b", goal, re.IGNORECASE) is not None \
        and not _families_meant(goal)


def recipient_family(goal: str) -> str | None:
    """Which pronoun the sender uses for the recipient: the first he/she family in the goal
    not said of a relative or a person named before it in its sentence. In "get our ceo
    booked on his show, she can talk ...", "she" is the CEO, not them."""
    meant = _families_meant(goal)
    return meant[0] if meant else None


def _who_else(text: str, family: str | None, include_they: bool | None
              ) -> tuple[bool, set[str]]:
    """Whether "they" is the recipient, and the pronouns that are someone else's."""
    # Every he/she said of someone named in its sentence ("the lady whose kids said she
    # wasnt hearing them"): the recipient is "they", or named, and those pronouns stay.
    others_only = family is None and _HE_SHE.search(text) is not None \
        and not _families_meant(text)
    if include_they is None:
        include_they = family is None and (others_only or _HE_SHE.search(text) is None)
    if others_only:
        return include_they, _FAMILIES["she"] | _FAMILIES["he"]
    return include_they, (_FAMILIES["he" if family == "she" else "she"] if family else set())


def _next_word(tokens: list[str], i: int) -> str:
    """The next word after token ``i``, lower-cased ("her how-to post": "how-to", not "how")."""
    at = next((j for j in range(i + 1, len(tokens)) if not tokens[j].isspace()), None)
    nxt = tokens[at].lower() if at is not None else ""
    if at is not None and tokens[at + 1:at + 2] == ["-"] and tokens[at + 2:at + 3] \
            and tokens[at + 2][:1].isalpha():
        nxt = f"{nxt}-{tokens[at + 2].lower()}"
    return nxt


def to_second_person(text: str, recipient_name: str, *, include_they: bool | None = None,
                     family: str | None = None) -> str:
    """Replace the recipient's name and third-person pronouns with you/your, agreeing verbs.

    Only ``family`` ("she" or "he", from :func:`recipient_family` of the goal) is the
    recipient; the other is someone else. "they" means the recipient only when the text uses
    no he/she at all (a goal about Dana that says "they" about her team keeps it).
    """
    text = first_person_fixes(text.replace("’", "'"))
    pattern = _name_pattern(recipient_name)
    if pattern:
        # A name in subject position ("whether Dana uses") becomes a "you" whose verb agrees.
        text = pattern.sub(lambda m: "your" if m.group(0).endswith("'s") else "\x00you", text)
    include_they, other = _who_else(text, family, include_they)
    kin = words(f"kin_{family}") if family else frozenset()
    found = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in found]
    # "the 'what i wish they knew' post": a title or words quoted are theirs as written.
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(text)]
    out: list[str] = []
    agree_next = False
    # "my mom ... when I read her the part, she cried": after a person of the recipient's
    # gender is named in a sentence, its she/her are that person, not the recipient.
    someone_else = False
    # "the lady whose kids said she wasnt hearing them": after people named in a sentence,
    # its they/them are those people, even where "they" is the recipient elsewhere.
    people_else = False
    for i, tok in enumerate(tokens):
        if tok in {".", "!", "?"}:
            someone_else = people_else = False
        elif tok.lower() in kin:
            someone_else = True
        elif tok.lower() in _PLURAL_PEOPLE:
            people_else = True
        elif someone_else and family and tok.lower() in _FAMILIES[family] \
                and not _TOLD_TO_TOOL.search("".join(out[-6:])):
            out.append(tok)
            continue
        if any(a < found[i].start() < b for a, b in quoted) or (
                people_else and tok.lower() in _THEY_FORMS):
            out.append(tok)
            continue
        if agree_next and tok.strip() and tok.replace("'", "").isalpha():
            out.append(tok)
            # "he literally studies frogfish": any -ly adverb stands between subject and verb.
            if tok.lower() in _ADVERBS or (tok.lower().endswith("ly") and len(tok) > 4
                                           and tok.lower() not in _LY_VERBS):
                continue
            out[-1] = _verb_base(tok.lower()) if tok.islower() else tok
            agree_next = False
            continue
        nxt = _next_word(tokens, i)
        prev = next((t.lower() for t in reversed(out) if not t.isspace()), "")
        if tok.lower() in other:
            out.append(tok)
            continue
        new, agree = _pronoun(tok, prev, nxt, include_they)
        agree_next = agree_next or agree
        if tok[:1].isupper() and new != tok and new[:1].islower() and not out:
            new = new[0].upper() + new[1:]
        out.append(new)
    said = _AUX_BEFORE_YOU.sub(_aux_agrees, "".join(out))
    # "sounds like he knows these old ones and was careful" -> "you know ... and were
    # careful": the verb after "and" shares the new "you" (blind review: "you ... and was").
    return _ELIDED_AFTER_YOU.sub(_elided_agrees, said)


_ELIDED_AFTER_YOU = re.compile(r"\byou ((?:[\w'-]+ ){1,10}?)and (is|was|has|does|isn't|wasn't|"
                               r"hasn't|doesn't)\b", re.IGNORECASE)
# Between "you" and "and", another subject or verb of being makes the verb after "and" its own.
_OTHER_SUBJECT = re.compile(r"\b(?:is|was|are|were|has|have|had|that|which|who|it|they|he|she|"
                            r"I|we|there)\b", re.IGNORECASE)


def _elided_agrees(m: re.Match[str]) -> str:
    if _OTHER_SUBJECT.search(m.group(1)):
        return m.group(0)
    return f"you {m.group(1)}and {_AUX_FOR_YOU[m.group(2).lower()]}"


# "... she forgot she ordered) and i just want to tell her it made me feel ...": what the
# sender tells the tool to say is said to the recipient, whoever the sentence named before.
_TOLD_TO_TOOL = re.compile(r"\b(?:to|just|wanna|and) (?:tell|thank|ask|let|message|email|show)"
                           r"\s*$", re.IGNORECASE)


# "does she still recommend" -> "does you" -> "do you": the auxiliary before the new "you".
_AUX_BEFORE_YOU = re.compile(r"\b(does|has|is|was|doesn't|hasn't|isn't|wasn't)(\s+you)\b",
                             re.IGNORECASE)
_AUX_FOR_YOU = {"does": "do", "has": "have", "is": "are", "was": "were", "doesn't": "don't",
                "hasn't": "haven't", "isn't": "aren't", "wasn't": "weren't"}


def _aux_agrees(m: re.Match[str]) -> str:
    word = _AUX_FOR_YOU[m.group(1).lower()]
    return (word.capitalize() if m.group(1)[:1].isupper() else word) + m.group(2)


def sentence(text: str, end: str = ".") -> str:
    """Capitalised, single-spaced, ending with ``end`` (a trailing ',' or 'and' removed)."""
    text = re.sub(r"\s+", " ", text).strip()
    # "and then", ", so" left by a cut clause go; "back then" and "even so" are words.
    text = re.sub(r"(?:[\s,;:]|\b(?:and|or|but)\b|(?:\band|,)\s*(?:then|so)\b)+$", "", text,
                  flags=re.IGNORECASE)
    text = text.rstrip(".!?").strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + end


def _words(text: str) -> list[str]:
    return text.split()


# What follows "do"/"did" as a main verb: an object, never a verb ("you did them", "you do
# that", "you did a second coat").
_DONE_OBJECT = frozenset({"it", "them", "this", "that", "these", "those", "so", "a", "an",
                          "the", "my", "our", "your", "his", "her", "their", "some", "all",
                          "any", "something", "anything", "everything", "nothing", "both",
                          "each", "one", "two", "three", "well"})


_HAVE_OBJECT = frozenset({"a", "an", "any", "some", "the", "your", "much", "many", "one",
                          "two", "time", "plans", "advice", "tips", "experience"})


def _invert_you(rest: Sequence[str]) -> str | None:
    """'you are still ...' -> 'Are you still ...?'; 'you use X' -> 'Do you use X?'."""
    if not rest:
        return None
    first = rest[0].lower()
    if first in _YOU_CONTRACTION:
        aux, _ = _YOU_CONTRACTION[first]
        return " ".join([aux, "you", *rest[1:]])
    if first != "you" or len(rest) < 2:
        return None
    verb = rest[1].lower()
    adverbs: list[str] = []
    j = 1
    while j < len(rest) and rest[j].lower() in _ADVERBS:
        adverbs.append(rest[j])
        j += 1
    if j >= len(rest):
        return None
    verb = rest[j].lower()
    if verb in {"do", "did"} and j + 1 < len(rest) and rest[j + 1].lower() in _DONE_OBJECT:
        # "you did them together" is "did" as the main verb: "Did you do them together",
        # never "Did you them together" (blind review: a garbled question).
        return " ".join([_YOU_AUX[verb], "you", *adverbs, "do", *rest[j + 1:]])
    if verb in {"have", "has"} and j + 1 < len(rest) and rest[j + 1].lower() in _HAVE_OBJECT:
        # "you have a go-to wording" owns something: "Do you have a go-to wording?", never
        # "Have you a go-to wording?" (blind review: stilted).
        return " ".join(["Do", "you", *adverbs, "have", *rest[j + 1:]])
    if verb in _YOU_AUX:
        return " ".join([_YOU_AUX[verb], "you", *adverbs, *rest[j + 1:]])
    if verb.endswith("ed") or verb in _IRREGULAR_PAST or not verb.isalpha():
        return None  # "you got into X": the past needs a lemma; the caller falls back
    return " ".join(["Do", "you", *adverbs, *rest[j:]])


def _invert_subject(rest: Sequence[str]) -> str | None:
    """'the dataset in your paper is public' -> 'Is the dataset in your paper public'."""
    for j, word in enumerate(rest[:8]):
        low = word.lower()
        if j == 0 and low in _AUX:
            return None
        if low in {"that", "which", "who", "and", "or", "if", "whether", "because", "when"}:
            return None
        if low in _AUX and j >= 1:
            if low in {"can", "could", "will", "would", "should", "may", "might"}:
                return None  # "the fix would break X": inverting modals reads oddly; fall back
            subject = " ".join(rest[:j])
            return " ".join([low.capitalize(), subject[0].lower() + subject[1:], *rest[j + 1:]])
    return None


def gerund(verb: str) -> str:
    """"quote" -> "quoting", "put" -> "putting", "use" -> "using", "show" -> "showing"."""
    v = verb.lower()
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    # One short syllable ending consonant-vowel-consonant doubles its last letter ("run").
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", v) and len(v) <= 4:
        return v + v[-1] + "ing"
    return v + "ing"


def _yes_no(clause: str, words: list[str]) -> str:
    """"whether you still use X" -> "Do you still use X?"; what cannot be inverted cleanly is
    "Could you tell me whether ...?"."""
    if re.search(r"\bor (?:if|whether)\b", clause):  # two alternatives: never inverted
        clause = re.sub(r"\bor if\b", "or whether", clause)
        return sentence(f"could you tell me whether {clause}", "?")
    if len(words) > 2 and words[0] in {"I", "we"} and words[1].lower() in {"can", "could"}:
        # "whether I can reprint that answer" -> "Could I reprint that answer?"
        return sentence(" ".join(["could", words[0], *words[2:]]), "?")
    direct = _invert_you(words) or _invert_subject(words)
    return sentence(direct if direct else f"could you tell me whether {clause}", "?")


def _main_question(words: Sequence[str]) -> str | None:
    """"you did them together did you keep X" -> "you did them together, did you keep X":
    a clause, then the direct question to them that follows it."""
    for k in range(2, len(words) - 1):
        if words[k].lower() in _YOU_AUX and words[k + 1].lower() == "you":
            head = " ".join(words[:k]).rstrip(",")
            return f"{head}, {' '.join(words[k:])}"
    return None


def _wh_question(lead: str, clause: str, words: Sequence[str]) -> str:
    """"how you did X" -> "How did you do X?"; what cannot be inverted cleanly is asked as
    "Could you tell me how ...?"."""
    if clause[:1] in {"'", "’"}:
        # "whats the best way ..." typed as "what" + "'s ...": a direct question already,
        # said without the space ("what 's" read as garbled to blind reviewers).
        return sentence(f"{lead}{clause}", "?")
    if (lead in {"when", "where"} and words[0].lower() == "you"
            and (main := _main_question(words))):
        # "when you did them together did you keep the coats in sync": "when" opens a
        # clause before a question already put to them; inverting the clause garbles it.
        return sentence(f"{lead} {main}", "?")
    if len(words) > 1 and words[1].lower() in _SUBJECTS and (
            words[0].lower() in _AUX or words[0].lower() in _DO_HAVE):
        # "how does he know where the line is" (voiced "how do you know ..."): already
        # a direct question; "Could you tell me how do you know" is not English.
        return sentence(f"{lead} {clause}", "?")
    if words[0].lower() in {"you", "you're", "you'd", "you've", "you'll"}:
        direct = _invert_you(words)
        if direct:
            return sentence(f"{lead} {direct[0].lower()}{direct[1:]}", "?")
    elif lead in {"what", "who", "which"} and (
            words[0].lower() in _AUX or words[0].lower().endswith("ed")
            or words[0].lower() in _IRREGULAR_PAST):
        return sentence(f"{lead} {clause}", "?")  # "what made you switch"
    return sentence(f"could you tell me {lead} {clause}", "?")


def as_question(lead: str, clause: str) -> str:
    """A direct question to the recipient from an indirect one already in the second person.

    ``lead`` is the word that introduced it ("whether", "if", "how", "about", "for", "to",
    "permission"); ``clause`` what followed ("you still use the checklist"). What cannot be
    turned into a direct question cleanly becomes "Could you tell me whether ...?", which is
    always grammatical.
    """
    clause = re.sub(r"\s+or not\b", "", clause.strip().rstrip("?.!, "), flags=re.IGNORECASE)
    clause = re.sub(r"^or not\s+", "", clause)
    words = _words(clause)
    if not words:
        return ""
    lead = lead.lower()
    if lead in {"whether", "if"} and (ok := re.match(
            r"(?:ok|okay|alright|all right|fine|cool) (?P<c>to|if)\s+"
            r"(?P<rest>.+)",
            clause, re.IGNORECASE)):
        # "ask if ok to quote her line": "Could you tell me whether ok to ..." was garbled
        # ("whether it's ok to ..." is English and stays).
        return sentence(f"would it be OK {ok.group('c').lower()} {ok.group('rest')}", "?")
    if lead in {"whether", "if"}:
        return _yes_no(clause, words)
    if lead in _WH:
        return _wh_question(lead, clause, words)
    if lead == "about":
        return sentence(f"could you tell me a little more about {clause}", "?")
    if lead == "for":
        return sentence(f"could I ask you for {clause}", "?")
    if lead == "to":
        return sentence(f"would you be willing to {clause}", "?")
    if lead == "permission":
        return sentence(f"may I {clause}", "?")
    if lead == "take":
        return sentence(f"what's your take on {clause}", "?")
    return sentence(clause, "?")


# An offer written as a sentence starts like one ("I can ...", "Happy to ..."); a noun phrase
# may contain a verb further on ("results ... where keys are skewed") and is not a sentence.
_SENTENCE_START = re.compile(
    r"^(?:I|I'd|I'm|I've|I'll|we|we'd|we're|we've|we'll|happy|glad|let me|let's|can|could|"
    r"would|will|thank|thanks)\b", re.IGNORECASE)


# "did a test ...", "ran the numbers ...": a past deed typed without its "I".
_DONE_FIRST = re.compile(r"(?:did|ran|made|built|wrote|recorded|tested|compared|measured|shot|"
                         r"took|found|translated|mapped|collected|compiled)(?= (?:a|an|the|my|"
                         r"our|some|two|three|\d|it|them|this|these)\b)", re.IGNORECASE)
# "my 3 colleagues and I could record ...": an offer with a subject and a modal of its own.
# ... and "my kids would write you thank you cards": the sender's own people as the subject
# ("I can offer my kids would write ..." was garbled).
_OWN_SUBJECT = re.compile(r"^(?:[\w'-]+ ){0,8}?and I (?:can|could|would|will)\b|"
                          r"^(?:my|our) (?:[\w'-]+ ){1,3}?(?:can|could|would|will)\b")


# An offer that starts with a verb takes an object ("run my suite", "proofread the draft",
# "help with testing"); anything else is a thing to send ("my benchmark", "feedback on ...").
_VERB_FIRST = re.compile(
    r"^help\b|^(?!(?:what|whatever|which|how|why|where|when|who|all|any|both|each|every|"
    r"some|most|more|just|only|also|even)\b)"
    r"[a-z]+ (?:my|your|the|a|an|our|some|it|you|them|this|that|these|those|all|both)\b")
# "what the teachers write back": a thing named by a clause, sent like any thing.
_WH_THING = re.compile(r"^(?:what|whatever|whichever)\b")

_SENDABLE = words("sendable")


# How a thing the sender can send is offered; drafter.compose recognises it by this opening.
SEND_YOU = "I'd be glad to send you "


def offer_sentence(offer: str) -> str:
    """The offer as a sentence the sender says, adding no fact: "my benchmark on 2 TB of
    logs" -> "I'd be glad to send you my benchmark on 2 TB of logs."; a sentence is kept
    (capitalised, with its full stop)."""
    phrase = offer.strip().rstrip(". ")
    if not phrase:
        return ""
    # "can send you our deck": a sentence missing its "I".
    phrase = re.sub(r"^(?=(?:can|could|will|would|am|have)\b)", "I ", phrase,
                    flags=re.IGNORECASE)
    # "would pay her usual rate, can send the draft": the second clause keeps its "I".
    phrase = re.sub(r"^((?:I|we)\b[^,]{3,80}), (can|could|will|would) (?=[a-z])", r"\1, and \2 ",
                    phrase, flags=re.IGNORECASE)
    # "me and 3 colleagues from the verein could record ...": the sender and others as the
    # subject, said the way a sentence says it.
    phrase = re.sub(r"^me (?:and|\+|&) (.{2,60}?) (can|could|would|will)\b", r"\1 and I \2",
                    phrase, flags=re.IGNORECASE)
    if m := _DONE_FIRST.match(phrase):
        # "did a same-night test w two filters, happy to send you the stacks": what the
        # sender did, told, and what they offer from it ("I'd be glad to did ..." before).
        rest = re.sub(r",\s*(happy|glad|willing) to\b", r", and I'm \1 to", phrase[m.end():])
        return sentence(f"I {m.group(0)}{rest}")
    if _SENTENCE_START.match(phrase) or _OWN_SUBJECT.match(phrase):
        end = "" if phrase[-1] in "!?" else "."
        return f"{phrase[0].upper()}{phrase[1:]}{end}"
    # Given whole only when all of it is there: "..., plus what we changed after" promises
    # more than the message holds (blind review), so that one is still sent.
    if re.match(r"^(?:the |my |our )?[\w-]+(?: [\w-]+){0,2}: \S", phrase) and not \
            _VERB_FIRST.match(phrase) and not re.search(
                r"\b(?:plus|what|how|why|more|etc|and so on|the rest)\b",
                phrase.split(":", 1)[1], re.IGNORECASE):
        # "numbers upfront: €95-110k, fully remote": the thing itself, given in the message
        # ("Here are numbers upfront: ...").
        named = phrase.split(":", 1)[0].split()
        noun = named[-1] if named[-1].lower() not in {"upfront", "first", "below", "now"} \
            else named[max(len(named) - 2, 0)]
        here = "Here are" if re.search(r"[^s]s$", noun.lower()) else "Here's"
        first = phrase[0] if phrase[:2].isupper() else phrase[0].lower()
        return f"{here} {first}{phrase[1:]}."
    phrase = phrase[0].lower() + phrase[1:]
    if _VERB_FIRST.match(phrase):  # "review your docs" -> "I'd be glad to review your docs."
        return f"I'd be glad to {phrase}."
    if _WH_THING.match(phrase):
        return f"{SEND_YOU}{phrase}."
    head = re.split(r"[,;(:]| and | if | for | on | of | from | with ", phrase, maxsplit=1)[0]
    made = re.search(r"\b(?:I|we)(?:'ve)? (?:built|made|wrote|recorded|collected|compiled|drew|"
                     r"designed|cleaned up|translated)\b", phrase, re.IGNORECASE)
    if not made and not any(w.strip(".") in _SENDABLE for w in head.lower().split()):
        # Credit, authorship, a fee, dinner: offered, not sent.
        return f"I can offer {phrase}."
    # "a couple cases out for you and the crew": the thing already says who it is for.
    thing = re.split(r"[,;(+]| if | since | because | so | and ", phrase, maxsplit=1)[0]
    if re.search(r"\b(?:for|to) you\b|\byour way\b", thing, re.IGNORECASE):
        return f"{SEND_YOU.removesuffix('you ')}{phrase}."
    # "link to the mod": one thing typed without its article.
    if re.match(r"(?:link|copy|zip|list|spreadsheet|summary|sample|demo|recording|video|photo|"
                r"write-?up|report|pdf|file|draft|version|map|chart|scan)\b", phrase):
        phrase = f"a {phrase}"
    return f"{SEND_YOU}{phrase}."
