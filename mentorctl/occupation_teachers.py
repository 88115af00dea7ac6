"""School teachers as people type them: "English Teacher", "Teacher of Maths", "4th grade teacher",
"Grade 7 Science Teacher".

O*NET files "History Teacher" or "Chemistry Teacher" under the postsecondary codes (25-1125,
25-1052) and leaves "English Teacher" or "Math Teacher" to five codes at once, but someone who
types a school subject before "teacher" teaches at a school: college teachers call themselves
professors, lecturers or instructors. So a school subject with "teacher" is a secondary school
teacher (SOC 25-2031), and a grade names the level: kindergarten to 5th grade elementary
(25-2021), 6th to 8th middle school (25-2022), 9th to 12th secondary (25-2031).
"Teacher" alone (or "Classroom Teacher") names a school teacher of some level: it is a best guess
among the three levels that says so (mentorctl.occupation_result.guessed), and shares with other
teachers only what the three share.
"""

from __future__ import annotations

import re

ELEMENTARY, MIDDLE, SECONDARY, KINDERGARTEN = "25-2021", "25-2022", "25-2031", "25-2012"
# A teacher of no stated school or subject, folded, seniority words removed ("Lead Teacher").
SOME_SCHOOL_TEACHER = frozenset({"teacher", "classroom teacher", "school teacher",
                                 "schoolteacher"})
SCHOOL_LEVELS = (ELEMENTARY, MIDDLE, SECONDARY)
# An instructor of nothing stated ("Instructor", "Senior Instructor") teaches at a college, as
# a professor does, more often than anywhere else: a best guess that says so, with the teachers
# and instructors of everything else as its alternative. "Yoga Instructor" names its own.
SOME_INSTRUCTOR = frozenset({"instructor"})
INSTRUCTOR_GUESS = ("25-1199", "25-3099")

# Subjects taught in schools, folded (what is typed before "teacher"). Subjects that are also
# private lessons on their own ("piano", "dance", "yoga") or a special level ("special
# education", "ESL", "reading") are titles of their own in the vocabulary and not listed here.
SCHOOL_SUBJECTS = frozenset({
    "english", "math", "maths", "mathematics", "science", "sciences", "biology", "chemistry",
    "physics", "history", "geography", "social studies", "civics", "government", "economics",
    "art", "arts", "music", "drama", "theatre", "theater", "french", "spanish", "german",
    "latin", "italian", "chinese", "mandarin", "japanese", "arabic", "russian", "portuguese",
    "foreign language", "foreign languages", "world language", "world languages", "language",
    "languages", "modern languages", "modern foreign languages", "mfl", "computer science",
    "computing", "ict", "it", "technology", "design and technology", "dt", "pe",
    "physical education", "health", "health and physical education", "religious education",
    "re", "religion", "religious studies", "literature", "english literature", "language arts",
    "english language arts", "ela", "writing", "stem", "steam", "psychology", "sociology",
    "business", "business studies", "journalism", "humanities", "classics", "earth science",
    "environmental science", "statistics", "calculus", "algebra", "geometry", "band", "choir",
    "orchestra", "chorus", "choral", "agriculture", "home economics", "family and consumer science",
    "family and consumer sciences", "engineering", "robotics", "coding", "science and math",
    "math and science", "english and history", "history and english",
})
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
             "k": 0, "kindergarten": 0}
_GRADE = rf"(\d{{1,2}}|{'|'.join(_ORDINALS)})(?:st|nd|rd|th)?"
# "4th grade teacher", "4th and 5th grade math teacher", "grade 4 teacher", "year 6 teacher".
_GRADE_TEACHER = re.compile(
    rf"^(?:{_GRADE} (?:(?:and|to) {_GRADE} )?grade|(?:grade|year) (\d{{1,2}})) (.*)teacher$")
_SUBJECT_TEACHER = re.compile(
    r"^(?:(high|secondary|middle|elementary|primary)(?: school)? )?(.+) teacher"
    r"(?: (?:high|secondary) school)?$")
_TEACHER_OF = re.compile(r"^teacher (?:of )?(.+?)(?: (?:high|secondary) school)?$")


def school_teacher(folded: str) -> str | None:
    """The SOC code of a school teacher named by grade or school subject, else None."""
    grade = _GRADE_TEACHER.match(folded)
    if grade is not None:
        return _by_grade(grade)
    if (subject := _SUBJECT_TEACHER.match(folded)) is not None:
        level, name = subject.groups()
    elif (subject := _TEACHER_OF.match(folded)) is not None:
        level, name = None, subject.group(1)
    else:
        return None
    if name not in SCHOOL_SUBJECTS:
        return None
    return {"middle": MIDDLE, "elementary": ELEMENTARY, "primary": ELEMENTARY}.get(level, SECONDARY)


def _by_grade(match: re.Match) -> str | None:
    first, last, year, rest = match.groups()
    if rest and rest.strip() not in SCHOOL_SUBJECTS:
        return None  # "4th grade special education teacher": a title of its own
    # "Year 6" is an English school year, one above the US grade.
    number = int(year) - 1 if year is not None else max(_number(first),
                                                        _number(last) if last else -1)
    if number < 0 or number > 12:
        return None
    if number == 0:
        return KINDERGARTEN
    return ELEMENTARY if number <= 5 else MIDDLE if number <= 8 else SECONDARY


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _ORDINALS.get(word, -1)
