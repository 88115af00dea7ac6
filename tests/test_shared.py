"""A plan's shared points in bulk (`shared_points_for`) are exactly those of each pair alone
(`shared_points`, as suggest and intro word them): the same kinds, texts and order."""

from __future__ import annotations

import numpy as np

from mentorctl import api
from mentorctl.config import load_settings
from mentorctl.match import pair_features
from mentorctl.program import MemberTexts
from mentorctl.shared import shared_points, shared_points_for
from tests.conftest import SAMPLE_CSV, SAMPLE_YAML, Loaded

# Friends in common (one, several, more than three), friends already, one school written two
# ways, one city, nearby cities, one state far apart, one country, one organization, occupations
# the same under two names, in one broad group or only one minor group, at different seniority,
# interests and languages written differently.
VARIED = """\
Full name,Email,Role,Job title,University,City,Skills,Languages,Friends,Max mentees,Organization
Ada Mentor,ada@x.io,mentor,Senior Software Engineer,MIT,"Boston, MA","python; chess; Rock Climbing","English, Spanish",f1;f2;f3;f4;f5;bo,3,Acme
Bob Mentor,bob@x.io,mentor,Web Developer,Massachusetts Institute of Technology,"Albany, NY","javascript; chess",English,f1,2,Globex
Cy Mentor,cy@x.io,mentor,Registered Nurse,Boston College,"Seattle, WA","nursing; hiking",Spanish,f2;f3,2,
Di Mentor,di@x.io,mentor,Nurse Practitioner,University of Washington,"London, UK","nursing; Grant Writing","english; French",,2,Initech
Ed Mentor,ed@x.io,mentor,Lead Data Scientist,Harvard University,"Cambridge, MA","statistics; python",English,f1;f4,2,Acme
Bo Mentee,bo@x.io,mentee,Junior Software Engineer,MIT,"Cambridge, MA","Python; chess; rock climbing","English, Spanish",f1;f2;f3;f4;f5,,Acme
Cal Mentee,cal@x.io,mentee,Frontend Developer,M.I.T.,"Buffalo, NY","JavaScript; hiking",english,f1;f2,,Globex
Dee Mentee,dee@x.io,mentee,Nurse,Boston College,"Miami, FL","Nursing; grant writing","Spanish, English",f2;f3,,
Eli Mentee,eli@x.io,mentee,Statistician,Harvard,"Manchester, UK","statistics, chess",French,f4,,Initech
Fay Mentee,fay@x.io,mentee,Registered Nurse,University of Washington,"Boston, MA",hiking,English,,,Acme
Gus Mentee,gus@x.io,mentee,Software Developer,Boston College,"Somerville, MA","python; grant writing",Spanish,f1;f3,,
F1 Friend,f1@x.io,mentee,Teacher,,"Denver, CO",,English,,,
F2 Friend,f2@x.io,mentee,Teacher,,"Denver, CO",,English,,,
F3 Friend,f3@x.io,mentee,Teacher,,"Denver, CO",,English,,,
F4 Friend,f4@x.io,mentee,Teacher,,"Denver, CO",,English,,,
F5 Friend,f5@x.io,mentee,Teacher,,"Denver, CO",,English,,,
"""  # noqa: E501


def every_pair(p):
    mentees = np.flatnonzero(p.role_mentee)
    mentors = np.flatnonzero(p.role_mentor)
    return np.repeat(mentees, len(mentors)), np.tile(mentors, len(mentees))


def one_by_one(p, texts, e, m, features):
    return [tuple(shared_points(p, texts, int(e[k]), int(m[k]),
                                {name: float(v[k]) for name, v in features.items()}))
            for k in range(len(e))]


def test_bulk_shared_points_equal_each_pair_alone(store, tmp_path):
    path = tmp_path / "varied.csv"
    path.write_text(VARIED, encoding="utf-8")
    api.import_members([path])
    api.import_members([SAMPLE_CSV, SAMPLE_YAML])  # friends, organizations, pronouns, more
    loaded = Loaded(store, load_settings(None))
    p = loaded.program
    e, m = every_pair(p)
    assert len(e) > MemberTexts.EAGER_AFTER  # whole columns, as a plan at scale reads them
    features = pair_features(p, e, m)
    alone = one_by_one(p, loaded.texts, e, m, features)
    fresh = MemberTexts(store, p.ids, loaded.texts.resolutions)
    assert shared_points_for(p, fresh, e, m, features) == alone
    # A few pairs: read row by row, as an api call for a handful of members does.
    few = np.arange(len(e))[::max(1, len(e) // 7)][:7]
    fresh = MemberTexts(store, p.ids, loaded.texts.resolutions)
    assert shared_points_for(p, fresh, e[few], m[few],
                             {name: v[few] for name, v in features.items()}) == \
        [alone[k] for k in few]
    assert shared_points_for(p, fresh, e[:0], m[:0], {n: v[:0] for n, v in features.items()}) == []
    # shared_points keeps each member's words for the call's next pairs: the same as a pair alone.
    for k in range(0, len(e), 5):
        fresh = MemberTexts(store, p.ids, loaded.texts.resolutions)
        assert one_by_one(p, fresh, e[k:k + 1], m[k:k + 1],
                          {name: v[k:k + 1] for name, v in features.items()}) == [alone[k]]

    # Every kind of point and wording is met above, so the comparison covered each.
    texts = [point.text for points in alone for point in points]
    kinds = {point.kind for points in alone for point in points}
    assert kinds == {"friends", "school", "location", "organization", "occupation", "interests",
                     "languages"}
    for phrase in ("you already know each other", "5 mutual friends:", " more", "1 mutual friend:",
                   "km apart", "both in New York", "both in the United States",
                   "both in England", "the mentor is more senior", "both studied at",
                   "both speak", "both at Acme"):
        assert any(phrase in t for t in texts), phrase


def test_plan_words_its_pairs_as_each_pair_alone(store, tmp_path):
    path = tmp_path / "varied.csv"
    path.write_text(VARIED, encoding="utf-8")
    api.import_members([path])
    api.import_members([SAMPLE_CSV, SAMPLE_YAML])
    loaded = Loaded(store, load_settings(None))
    p = loaded.program
    plan = loaded.plan()
    assert len(plan.pairs) > 5
    e = np.array([p.position(pair.mentee) for pair in plan.pairs])
    m = np.array([p.position(pair.mentor) for pair in plan.pairs])
    fresh = MemberTexts(store, p.ids, loaded.texts.resolutions)
    assert [pair.shared for pair in plan.pairs] == \
        one_by_one(p, fresh, e, m, pair_features(p, e, m))
