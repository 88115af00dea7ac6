"""Office roles named by their field: "People Team Manager", "Gifts and Data Coordinator",
"Renewals Manager", "Procurement Analyst".

Sign-up forms are full of titles no list holds, made of a field and a role noun. SOC files most
office work by field and level: a manager of a field is that field's manager (human resources
managers 11-3121, sales managers 11-2022), its specialists, coordinators and officers are the
field's specialists (13-1071, 13-1131, 13-1041 ...). When every word before the role noun names
one field (words that name no field, such as "team", "senior" or "global", are neutral), the
title resolves to that field's code for the role; so does one qualifier before them ("Excise Tax
Analyst"). A field with no code for that role, words of two fields, or any other word leave it to
the other rules. The fields and their codes follow the
SOC 2018 definitions and O*NET's titles for each code.
"""

from __future__ import annotations

# field -> (the words that name it, {role: SOC code}). Roles: "manager" (manager, director,
# head, VP), "specialist" (specialist, coordinator, officer, associate, advisor, partner,
# generalist, representative, strategist), "analyst", "administrator", "clerk" (clerk,
# assistant) and "planner". A field has a code for a role only where O*NET's own titles of
# that field and role agree on it ("Purchasing Assistant", "Purchasing Clerk": 43-3061).
_MGR, _SPEC, _ANALYST = "manager", "specialist", "analyst"
_ADMIN, _CLERK, _PLANNER = "administrator", "clerk", "planner"
FIELDS: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    "human resources": (frozenset({
        "hr", "human resources", "human resource", "people", "people operations", "talent",
        "talent acquisition", "talent management", "recruiting", "recruitment", "staffing",
        "employee relations", "employee experience", "personnel", "workforce", "hris",
        "diversity", "dei",
        "diversity and inclusion", "diversity equity and inclusion", "inclusion and diversity"}),
        {_MGR: "11-3121", _SPEC: "13-1071", _CLERK: "43-4161", _ANALYST: "13-1071"}),
    "training": (frozenset({"training", "learning", "learning and development", "l and d",
                            "organizational development", "professional development",
                            "training and development", "training development",
                            "learning development", "talent development",
                            "customer education"}),
                 {_MGR: "11-3131", _SPEC: "13-1151"}),
    "compensation": (frozenset({"compensation", "benefits", "total rewards", "rewards", "reward",
                                "pensions", "pension", "compensation and benefits"}),
                     {_MGR: "11-3111", _SPEC: "13-1141", _ANALYST: "13-1141", _ADMIN: "13-1141"}),
    "fundraising": (frozenset({
        "fundraising", "fund raising", "donor", "donors", "donor relations", "giving",
        "annual giving", "major gifts", "gifts", "gift", "philanthropy", "advancement",
        "stewardship", "prospect research", "annual fund", "planned giving",
        "corporate giving", "corporate relations", "foundation relations", "membership"}),
        {_MGR: "11-2033", _SPEC: "13-1131"}),
    # A nonprofit's "Development Officer/Coordinator/Associate" raises funds; a development
    # manager or director may run software development, so only the specialist roles.
    "development": (frozenset({"development", "fund development", "resource development",
                               "donor development"}), {_SPEC: "13-1131"}),
    "student services": (frozenset({
        "academic advising", "advising", "admissions", "admission", "student affairs",
        "student services",
        "student success", "enrollment", "enrollment management", "registrar",
        "residence life", "academic affairs", "student life", "career services",
        "residential education", "residential life", "housing and residence life",
        "student conduct", "student engagement"}),
        {_MGR: "11-9033"}),
    "marketing": (frozenset({"marketing", "brand", "branding", "digital marketing",
                             "growth marketing", "product marketing", "demand generation",
                             "market research", "marketing operations", "pricing",
                             "go to market", "marketing automation", "email marketing"}),
                  {_MGR: "11-2021", _SPEC: "13-1161", _ANALYST: "13-1161"}),
    "public relations": (frozenset({"communications", "communication", "public relations",
                                    "pr", "media relations", "public affairs",
                                    "internal communications", "external relations",
                                    "government affairs", "government relations",
                                    "community relations", "community engagement",
                                    "stakeholder engagement", "stakeholder relations"}),
                         {_MGR: "11-2032", _SPEC: "27-3031"}),
    "sales": (frozenset({"sales", "renewals", "renewal", "accounts", "key accounts",
                         "strategic accounts", "business development", "channel",
                         "partnerships", "inside sales", "revenue"}),
              {_MGR: "11-2022"}),
    "purchasing": (frozenset({"procurement", "purchasing", "sourcing", "contracts",
                              "contract", "vendor management", "strategic sourcing"}),
                   {_MGR: "11-3061", _SPEC: "13-1020", _ANALYST: "13-1020", _ADMIN: "13-1020",
                    _CLERK: "43-3061"}),
    "logistics": (frozenset({"logistics", "supply chain", "distribution", "shipping",
                             "fulfillment", "transportation"}),
                  {_MGR: "11-3071", _SPEC: "13-1081", _ANALYST: "13-1081", _PLANNER: "13-1081"}),
    "compliance": (frozenset({"compliance", "regulatory", "regulatory affairs", "ethics",
                              "privacy", "accreditation", "licensing", "irb"}),
                   {_MGR: "11-9199", _SPEC: "13-1041", _ANALYST: "13-1041"}),
    "events": (frozenset({"events", "event", "conference", "conferences", "meetings",
                          "meeting", "special events"}),
               {_MGR: "13-1121", _SPEC: "13-1121", _PLANNER: "13-1121"}),
    "finance": (frozenset({"finance", "financial", "fp and a", "financial planning",
                           "treasury", "investment", "investments", "corporate finance",
                           "accounting", "financial reporting"}),
                {_MGR: "11-3031", _ANALYST: "13-2051", _CLERK: "43-3031"}),
    "information technology": (frozenset({"it", "information technology", "technology",
                                          "information systems", "systems", "infrastructure",
                                          "tech", "help desk", "service desk",
                                          "application support", "applications support"}),
                               {_MGR: "11-3021", _ANALYST: "15-1211", _ADMIN: "15-1244"}),
    "customer service": (frozenset({"customer service", "customer services", "client services",
                                    "client service", "customer support", "customer care",
                                    "client relations", "customer relations", "member services",
                                    "guest services", "consumer relations",
                                    "consumer affairs"}),
                         {_SPEC: "43-4051"}),
    "facilities": (frozenset({"facilities", "facility", "building", "buildings", "workplace"}),
                   {_MGR: "11-3013"}),
    "technical writing": (frozenset({"technical writing", "documentation",
                                     "technical documentation"}),
                          {_MGR: "11-9199", _SPEC: "27-3042"}),
    "information security": (frozenset({
        "information security", "cybersecurity", "cyber security", "infosec", "it security",
        "security operations", "cyber"}),
        {_MGR: "11-3021", _SPEC: "15-1212", _ANALYST: "15-1212"}),
    "analytics": (frozenset({"analytics", "business intelligence", "bi", "insights",
                             "data analysis", "data analytics", "reporting and analytics"}),
                  {_MGR: "11-3021", _ANALYST: "15-2051", _SPEC: "15-2051"}),
    "tax": (frozenset({"tax", "taxation", "indirect tax", "sales tax"}),
            {_MGR: "11-3031", _SPEC: "13-2011", _ANALYST: "13-2011"}),
    "audit": (frozenset({"audit", "internal audit", "auditing"}),
              {_SPEC: "13-2011", _ANALYST: "13-2011"}),
    "payroll": (frozenset({"payroll", "timekeeping"}), {_SPEC: "43-3051", _CLERK: "43-3051"}),
    "bookkeeping": (frozenset({"accounts payable", "accounts receivable", "ap", "ar",
                               "billing and collections"}),
                    {_SPEC: "43-3031", _CLERK: "43-3031"}),
    "health services": (frozenset({"clinical", "clinical operations", "behavioral health",
                                   "health services", "patient services", "nursing",
                                   "clinic", "medical"}),
                        {_MGR: "11-9111", _ADMIN: "11-9111"}),
    "claims": (frozenset({"claims", "claim"}), {_SPEC: "13-1031", _CLERK: "43-9041"}),
    "underwriting": (frozenset({"underwriting"}), {_SPEC: "13-2053", _ANALYST: "13-2053"}),
    "safety": (frozenset({"safety", "health and safety", "environmental health and safety",
                          "ehs", "hse", "occupational health and safety", "ohs"}),
               {_SPEC: "19-5011"}),
    "projects": (frozenset({"project", "projects", "project management", "pmo"}),
                 {_SPEC: "13-1082", _ANALYST: "13-1082"}),
    "emergency management": (frozenset({"emergency management", "emergency preparedness",
                                        "emergency planning"}),
                             {_MGR: "11-9161", _SPEC: "11-9161"}),
    # A product's manager, director or head manages it (11-2021, as "Product Manager"); its
    # specialists sell, support or design it, which no one code holds.
    "product": (frozenset({"product", "product management"}), {_MGR: "11-2021"}),
    # A university's grants office: sponsored programs are administered, not raised (13-1199,
    # as O*NET's "Grants Administrator"); its fundraising lives under "fundraising".
    "research administration": (frozenset({
        "sponsored programs", "sponsored projects", "sponsored research",
        "research administration", "pre award", "post award"}),
        {_SPEC: "13-1199", _ADMIN: "13-1199", _ANALYST: "13-1199"}),
    "policy": (frozenset({"policy", "public policy", "health policy", "social policy",
                          "education policy", "legislative", "legislative affairs"}),
               {_SPEC: "19-3094", _ANALYST: "19-3094"}),
    "risk": (frozenset({"risk", "risk management", "enterprise risk", "credit risk",
                        "market risk", "operational risk", "risk assessment"}),
             {_SPEC: "13-2054", _ANALYST: "13-2054"}),
    "curriculum": (frozenset({"curriculum", "curriculum development", "instructional design"}),
                   {_MGR: "25-9031", _SPEC: "25-9031"}),
    # O*NET files a library's assistants and clerks under clerical library assistants (43-4121)
    # two times in three, its technical assistants and specialists under library technicians.
    "library": (frozenset({"library", "libraries", "circulation", "interlibrary loan"}),
                {_SPEC: "25-4031", _CLERK: "43-4121"}),
    "legal": (frozenset({"legal", "litigation", "law firm"}), {_CLERK: "23-2011", _ANALYST: "23-2011"}),
    "grants": (frozenset({"grant", "grants", "grants management", "sponsored programs",
                          "sponsored research", "foundation grants"}),
               {_SPEC: "13-1199", _ADMIN: "13-1199"}),
}
ROLES = {
    "manager": _MGR, "director": _MGR, "head": _MGR, "vp": _MGR, "vice president": _MGR,
    "specialist": _SPEC, "coordinator": _SPEC, "officer": _SPEC, "associate": _SPEC,
    "advisor": _SPEC, "partner": _SPEC, "generalist": _SPEC, "representative": _SPEC,
    "analyst": _ANALYST, "executive": _SPEC,  # a UK "Marketing Executive" is a specialist
    "lead": _SPEC,  # "Project Lead", "HR Lead": the field's senior specialist
    "consultant": _SPEC,  # "HR Consultant", "Marketing Consultant"
    "strategist": _SPEC, "administrator": _ADMIN, "clerk": _CLERK, "assistant": _CLERK,
    "planner": _PLANNER,
}
# "Operations" alone is a field (operations managers 11-1021, operations analysts 13-1111);
# next to another field it is neutral ("Marketing Operations Associate").
_OPERATIONS = {_MGR: "11-1021", _ANALYST: "13-1111"}
# Words that name no field of their own next to one that does ("People Team Manager").
NEUTRAL = frozenset({"team", "teams", "global", "regional", "national", "international",
                     "corporate", "group", "strategic", "strategy", "general", "senior",
                     "operations", "program", "programs", "programme", "and", "of", "for",
                     "the", "services", "shared", "business", "partner", "data", "technical",
                     "assistant", "associate", "deputy"})
# First word -> [(the phrase's words, its field)], longest phrase first.
_BY_FIRST: dict[str, list[tuple[list[str], str]]] = {}
for _field, (_phrases, _codes) in FIELDS.items():
    for _phrase in _phrases:
        _BY_FIRST.setdefault(_phrase.split()[0], []).append((_phrase.split(), _field))
for _entries in _BY_FIRST.values():
    _entries.sort(key=lambda entry: -len(entry[0]))


def field_role(folded: str, qualified: bool = True) -> str | None:
    """The SOC code of "<one field's words> <role noun>", else None; with `qualified`, also of
    "<one qualifier> <one field's words> <role noun>"."""
    words = folded.split()
    if len(words) < 2:
        return None
    role = ROLES.get(words[-1])
    rest = words[:-1]
    if role is None and len(words) > 2 and " ".join(words[-2:]) in ROLES:
        role, rest = ROLES[" ".join(words[-2:])], words[:-2]
    if role is None:
        return None
    fields = _fields_of(rest)
    if fields is None and qualified and len(rest) > 1 and rest[0] not in ROLES:
        # One qualifier before the field ("Excise Tax Analyst", "Clinical Research ..."): the
        # field still names the role, when the rest names exactly one field.
        fields = _fields_of(rest[1:]) or None
        if rest[1:] == ["development"]:
            fields = None  # a "Youth" or "Staff Development Specialist" raises no funds
    if fields == [] and "operations" in rest:
        return _OPERATIONS.get(role)
    if fields and len(fields) == 2 and "and" in rest:
        # "Marketing and Communications Officer": both fields' role; the first one named that
        # has a code for it (a multi-role title is either).
        return next(filter(None, (FIELDS[field][1].get(role) for field in fields)), None)
    if fields is None or len(fields) != 1:
        return None
    return FIELDS[fields[0]][1].get(role)


TOP_EXECUTIVES = "11-1011"


def chief_officer(field: str) -> str | None:
    """The X of "Chief X Officer" -> the SOC code of that executive: the field's manager code
    ("revenue" -> sales managers 11-2022, "nursing" -> 11-9111), or chief executives 11-1011
    when the words name no field at all ("strategy", "program", "data"). None lets the other
    rules decide: a field without a manager code, two fields, or a word that is neither ("Chief
    Probation Officer" is a probation officer, "Chief Petty Officer" a naval rank)."""
    fields = _fields_of(field.split())
    if fields is None or len(fields) > 1:
        return None
    return FIELDS[fields[0]][1].get(_MGR) if fields else TOP_EXECUTIVES


def _fields_of(words: list[str]) -> list[str] | None:
    """The fields the words name, in order, or None when a word is neither a field's nor
    neutral."""
    found: list[str] = []
    i = 0
    while i < len(words):
        for phrase, field in _BY_FIRST.get(words[i], ()):
            if words[i:i + len(phrase)] == phrase:
                if field not in found:
                    found.append(field)
                i += len(phrase)
                break
        else:
            if words[i] not in NEUTRAL:
                return None
            i += 1
    return found
