"""A realistic synthetic mentoring program as a Google-Forms-style CSV export.

    python benchmarks/generate.py --members 100000 --seed 1 -o benchmarks/out/members-100000.csv

Deterministic for a seed (and the reference files it draws variety from, see below):
~35 % mentors, ~55 % mentees, ~10 % both; varied names (some non-ASCII) and unique emails; job
titles drawn Zipf-like from ~300 occupations and written the way people type them (seniority
words, abbreviations, comma inversions, case, typos, the variants in tests/eval/occupations.yaml
and mentorctl/data/occupations.yaml when present); schools with acronyms and variants
(mentorctl/data/school_aliases.yaml, schools.tsv.gz, tests/eval/schools.yaml); cities weighted
toward big ones, spelled in many ways (tests/eval/places.yaml, data/place_aliases.yaml,
places.tsv.gz); friend communities (friends mostly within a community, a few hubs), 0-8 friends
each, referenced by email or id; Zipf-like interests from ~300 topics; languages; capacities 1-3
(some 0) for mentors; ~5 % unavailable; goals, bios, organizations and a Timestamp column.

The header uses names the importer maps by itself ("Full name", "Email Address", "Job title", ...).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import io
import itertools
import random
import re
import sys
import time
import unicodedata
from bisect import bisect
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "mentorctl" / "data"
EVAL = ROOT / "tests" / "eval"

HEADER = ["Timestamp", "Full name", "Email Address", "Role", "Job title", "University", "City",
          "Skills", "Languages", "Friends", "Max mentees", "Available", "Goals", "Bio",
          "Organization", "Pronouns"]



def bars(text: str) -> list[str]:
    """'a|b|c' -> ['a', 'b', 'c']: long word lists stay readable."""
    return text.split("|")


# --- occupations: family -> titles (the first families hold the most common titles) ------------
OCCUPATIONS = {
    "software": "Software Engineer|Software Developer|Web Developer|Frontend Engineer|Backend "
                "Engineer|Full Stack Developer|Mobile Developer|iOS Developer|Android Developer|"
                "DevOps Engineer|Site Reliability Engineer|Data Engineer|Machine Learning Engineer|"
                "QA Engineer|Test Automation Engineer|Security Engineer|Cloud Architect|Solutions "
                "Architect|Embedded Software Engineer|Game Developer|Engineering Manager|CTO|"
                "Database Administrator|Systems Administrator|Network Engineer|IT Support "
                "Specialist|Help Desk Technician|IT Manager",
    "data": "Data Scientist|Data Analyst|Business Intelligence Analyst|Statistician|Research "
            "Scientist|Quantitative Analyst|Analytics Manager|Actuary|Operations Research Analyst",
    "product": "Product Manager|Product Owner|Program Manager|Project Manager|Technical Program "
               "Manager|Scrum Master|Product Designer|UX Designer|UI Designer|UX Researcher|"
               "Graphic Designer|Content Designer|Design Manager|Creative Director|Art Director|"
               "Illustrator|Motion Designer",
    "health": "Registered Nurse|Nurse Practitioner|Licensed Practical Nurse|Physician|Surgeon|"
              "Pediatrician|Psychiatrist|Pharmacist|Pharmacy Technician|Physical Therapist|"
              "Occupational Therapist|Speech Language Pathologist|Dentist|Dental Hygienist|"
              "Medical Assistant|Paramedic|EMT|Radiologic Technologist|Medical Laboratory "
              "Scientist|Respiratory Therapist|Dietitian|Nurse Manager|Certified Nursing Assistant|"
              "Home Health Aide|Physician Assistant|Optometrist|Veterinarian|Veterinary Technician|"
              "Public Health Analyst|Epidemiologist|Health Educator|Clinical Research Coordinator",
    "education": "Teacher|High School Teacher|Elementary School Teacher|Middle School Teacher|"
                 "Special Education Teacher|Teaching Assistant|Professor|Assistant Professor|"
                 "Lecturer|School Counselor|Principal|Librarian|Instructional Designer|Tutor|"
                 "Academic Advisor|Curriculum Developer|Early Childhood Educator|Postdoctoral "
                 "Researcher|PhD Student|Graduate Student|Student|Research Assistant",
    "finance": "Accountant|Certified Public Accountant|Financial Analyst|Financial Advisor|"
               "Investment Banker|Auditor|Controller|Chief Financial Officer|Bookkeeper|Tax "
               "Preparer|Loan Officer|Credit Analyst|Risk Analyst|Compliance Officer|Portfolio "
               "Manager|Treasury Analyst|Payroll Specialist|Insurance Agent|Underwriter|Claims "
               "Adjuster|Bank Teller|Branch Manager|Economist",
    "business": "Account Manager|Account Executive|Sales Representative|Sales Manager|Business "
                "Development Manager|Customer Success Manager|Customer Service Representative|"
                "Operations Manager|Operations Analyst|Business Analyst|Management Consultant|"
                "Strategy Consultant|General Manager|Chief Executive Officer|Chief Operating "
                "Officer|Executive Assistant|Administrative Assistant|Office Manager|Receptionist|"
                "Entrepreneur|Founder|Small Business Owner|Supply Chain Manager|Logistics "
                "Coordinator|Procurement Specialist|Buyer|Merchandiser|Retail Manager|Store "
                "Manager|Real Estate Agent|Property Manager",
    "marketing": "Marketing Manager|Marketing Coordinator|Digital Marketing Specialist|Content "
                 "Marketing Manager|SEO Specialist|Social Media Manager|Brand Manager|Product "
                 "Marketing Manager|Growth Marketer|Public Relations Specialist|Communications "
                 "Manager|Copywriter|Content Writer|Technical Writer|Editor|Journalist|Reporter|"
                 "Photographer|Videographer|Event Planner",
    "people": "Human Resources Manager|HR Generalist|Recruiter|Technical Recruiter|Talent "
              "Acquisition Specialist|People Operations Manager|Learning and Development "
              "Specialist|Diversity and Inclusion Manager|Compensation Analyst|Career Coach|"
              "Executive Coach",
    "legal": "Attorney|Lawyer|Paralegal|Legal Assistant|Corporate Counsel|Public Defender|"
             "Prosecutor|Judge|Law Clerk|Contract Manager|Policy Analyst|Legislative Aide",
    "engineering": "Mechanical Engineer|Electrical Engineer|Civil Engineer|Chemical Engineer|"
                   "Aerospace Engineer|Biomedical Engineer|Industrial Engineer|Manufacturing "
                   "Engineer|Process Engineer|Quality Engineer|Structural Engineer|Environmental "
                   "Engineer|Hardware Engineer|Field Engineer|Project Engineer|Architect|"
                   "Urban Planner|Surveyor|Drafter|Construction Manager|Estimator",
    "science": "Biologist|Chemist|Physicist|Lab Technician|Research Associate|Environmental "
               "Scientist|Geologist|Materials Scientist|Clinical Scientist|Bioinformatician|"
               "Neuroscientist|Astronomer|Food Scientist",
    "nonprofit": "Program Coordinator|Program Director|Grant Writer|Development Director|"
                 "Fundraising Manager|Volunteer Coordinator|Community Organizer|Case Manager|"
                 "Social Worker|Counselor|Therapist|Addiction Counselor|Peer Support Specialist|"
                 "Outreach Coordinator|Executive Director|Youth Worker",
    "trades": "Electrician|Plumber|Carpenter|Welder|HVAC Technician|Mechanic|Automotive "
              "Technician|Machinist|Maintenance Technician|Construction Worker|Truck Driver|"
              "Warehouse Associate|Forklift Operator|Chef|Cook|Line Cook|Baker|Barista|Server|"
              "Bartender|Hairstylist|Cosmetologist|Landscaper|Janitor|Security Guard|"
              "Firefighter|Police Officer|Delivery Driver",
    "public": "Civil Servant|Government Analyst|City Planner|Military Officer|Soldier|Diplomat|"
              "Foreign Service Officer|Intelligence Analyst|Customs Officer|Postal Worker",
    "arts": "Musician|Actor|Writer|Author|Film Director|Producer|Sound Engineer|Fashion Designer|"
            "Interior Designer|Game Designer|Animator|Museum Curator|Translator|Interpreter",
}
HEAD_OCCUPATIONS = ["Software Engineer", "Registered Nurse", "Student", "Teacher",
                    "Product Manager", "Data Scientist", "Project Manager", "Accountant",
                    "Data Analyst", "Marketing Manager", "Account Manager", "Business Analyst",
                    "UX Designer", "Graduate Student", "Attorney", "Sales Representative",
                    "Financial Analyst", "Customer Service Representative", "Recruiter",
                    "Program Coordinator", "Social Worker", "Mechanical Engineer",
                    "Administrative Assistant", "Physician", "Software Developer"]
NO_SENIORITY = {"Student", "Graduate Student", "PhD Student", "CTO", "Chief Executive Officer",
                "Chief Financial Officer", "Chief Operating Officer", "Founder", "Entrepreneur",
                "Judge", "Principal", "Executive Director", "Small Business Owner"}
SENIOR_WORDS = ["Senior", "Sr.", "Sr", "Lead", "Principal", "Staff", "Senior", "Head", "Sr."]
JUNIOR_WORDS = ["Junior", "Jr.", "Jr", "Associate", "Entry Level", "Trainee", "Assistant"]
LEVEL_SUFFIX = [" II", " III", " I", " 2", " IV"]
ABBREVIATIONS = [
    ("Software Engineer", ["SWE", "Software Eng", "Software Engr", "SW Engineer"]),
    ("Registered Nurse", ["RN", "R.N.", "Reg. Nurse"]), ("Vice President", ["VP"]),
    ("Human Resources", ["HR"]), ("Information Technology", ["IT"]),
    ("Chief Executive Officer", ["CEO"]), ("Chief Financial Officer", ["CFO"]),
    ("Chief Operating Officer", ["COO"]), ("Certified Public Accountant", ["CPA"]),
    ("Engineering Manager", ["EM", "Eng Manager", "Eng Mgr"]),
    ("Product Manager", ["PM", "Product Mgr", "Prod Mgr"]), ("Project Manager", ["PM", "Proj Mgr"]),
    ("Physician Assistant", ["PA", "PA-C"]), ("Nurse Practitioner", ["NP", "FNP"]),
    ("Licensed Practical Nurse", ["LPN"]), ("Certified Nursing Assistant", ["CNA"]),
    ("Site Reliability Engineer", ["SRE"]), ("Machine Learning Engineer", ["ML Engineer", "MLE"]),
    ("Teaching Assistant", ["TA"]), ("Executive Assistant", ["EA", "Exec Assistant"]),
    ("Customer Service Representative", ["CSR", "Customer Service Rep"]),
    ("Sales Representative", ["Sales Rep"]), ("Quality Assurance", ["QA"]),
    ("Manager", ["Mgr", "Mgr.", "Mngr"]), ("Engineer", ["Eng", "Engr", "Eng."]),
    ("Developer", ["Dev", "Dev."]), ("Assistant", ["Asst", "Asst."]), ("Director", ["Dir.", "Dir"]),
    ("Administrator", ["Admin"]), ("Specialist", ["Spec."]), ("Coordinator", ["Coord.", "Coord"]),
    ("Representative", ["Rep", "Rep."]), ("Technician", ["Tech"]), ("Account", ["Acct"]),
    ("Accountant", ["Acct"]), ("Marketing", ["Mktg"]), ("Operations", ["Ops"]),
    ("Development", ["Dev"]), ("Management", ["Mgmt"]), ("Professor", ["Prof.", "Prof"]),
    ("Analyst", ["Anlst"]), ("Executive", ["Exec"]), ("Department", ["Dept"]),
]
TITLE_NOISE = [" @ {org}", " at {org}", " - {org}", " (contract)", " (part-time)", " / Freelance",
               ", {org}", " (remote)", " | {org}"]

# --- interests, languages, names -------------------------------------------------------------
INTERESTS = bars(
    "python|career change|public speaking|leadership|networking|javascript|data analysis|"
    "machine learning|product management|ux research|resume review|interview prep|negotiation|"
    "project management|excel|sql|system design|writing|management|entrepreneurship|marketing|"
    "design|figma|cloud|aws|kubernetes|docker|react|java|go|rust|c++|statistics|finance|"
    "investing|personal finance|fundraising|grant writing|nonprofit management|policy|law|"
    "law school|medical school|nursing|patient care|nursing informatics|public health|research|"
    "academia|teaching|curriculum design|tutoring|mentoring|coaching|work-life balance|"
    "parenting|remote work|time management|productivity|mental health|wellness|fitness|running|"
    "yoga|cooking|baking|photography|music|guitar|piano|chess|reading|travel|languages|"
    "spanish|french|volunteering|community organizing|diversity and inclusion|women in tech|"
    "first-generation students|veterans|immigration|recovery|sobriety|faith|sales|customer "
    "success|account management|business development|consulting|strategy|operations|supply "
    "chain|logistics|manufacturing|quality|lean|six sigma|accounting|tax|audit|budgeting|"
    "financial modeling|valuation|venture capital|startups|product strategy|roadmaps|agile|"
    "scrum|devops|security|cybersecurity|networking (it)|linux|bash|open source|backend|"
    "frontend|mobile|ios|android|game development|unity|3d modeling|animation|illustration|"
    "graphic design|branding|seo|content marketing|social media|copywriting|journalism|"
    "editing|podcasting|video editing|film|theater|creative writing|poetry|art|painting|"
    "drawing|crafts|gardening|hiking|climbing|cycling|soccer|basketball|tennis|golf|"
    "swimming|board games|video games|anime|sci-fi|history|philosophy|psychology|sociology|"
    "economics|political science|sustainability|climate|renewable energy|electric vehicles|"
    "architecture|urban planning|real estate|construction|electrical|plumbing|welding|"
    "woodworking|cars|aviation|space|robotics|iot|embedded systems|hardware|pcb design|"
    "biotech|genomics|bioinformatics|chemistry|physics|math|data visualization|tableau|"
    "power bi|r|spark|airflow|dbt|data engineering|mlops|llms|nlp|computer vision|"
    "deep learning|pytorch|tensorflow|ethics|ai safety|privacy|accessibility|hr|recruiting|"
    "hiring|onboarding|learning and development|performance reviews|conflict resolution|"
    "team building|executive presence|communication|storytelling|presentation skills|"
    "salary negotiation|promotion|job search|linkedin|personal branding|freelancing|"
    "side projects|career growth|imposter syndrome|returning to work|career break|"
    "caregiving|disability|lgbtq+|latinx in tech|black in tech|international students|"
    "study abroad|grad school applications|gre|mba|phd|postdoc|teaching assistantships|"
    "scholarships|financial aid|community college|transfer students|trade school|"
    "apprenticeships|union|labor rights|social work|counseling|therapy|peer support|"
    "harm reduction|case management|crisis intervention|youth work|coaching sports|"
    "event planning|hospitality|restaurants|retail|fashion|beauty|e-commerce|shopify|"
    "wordpress|no-code|automation|zapier|salesforce|hubspot|crm|customer support|"
    "technical writing|documentation|api design|microservices|distributed systems|"
    "databases|postgres|performance|testing|qa|test automation|site reliability|"
    "incident response|observability|terraform|gcp|azure|blockchain|fintech|healthtech|"
    "edtech|climate tech|govtech|public sector|military transition|law enforcement|"
    "firefighting|emergency medicine|surgery|pediatrics|psychiatry|pharmacy|dentistry|"
    "physical therapy|nutrition|veterinary medicine|epic ehr|clinical research"
)
LANGUAGES = [("English", 60), ("Spanish", 14), ("Hindi", 5), ("Mandarin", 5), ("French", 5),
             ("Portuguese", 3), ("Arabic", 3), ("German", 3), ("Vietnamese", 2), ("Korean", 2),
             ("Japanese", 2), ("Tagalog", 2), ("Russian", 2), ("Italian", 2), ("Urdu", 1.5),
             ("Bengali", 1.5), ("Tamil", 1.2), ("Telugu", 1), ("Gujarati", 1), ("Punjabi", 1),
             ("Cantonese", 1), ("Polish", 1), ("Turkish", 1), ("Persian", 1), ("Hebrew", 0.8),
             ("Swahili", 0.8), ("Yoruba", 0.6), ("Amharic", 0.5), ("Greek", 0.5), ("Dutch", 0.8),
             ("Swedish", 0.5), ("Ukrainian", 0.6), ("Haitian Creole", 0.5), ("Somali", 0.3),
             ("American Sign Language", 0.4), ("Marathi", 0.5), ("Malayalam", 0.5),
             ("Indonesian", 0.5), ("Thai", 0.4), ("Czech", 0.3)]
LANGUAGE_VARIANTS = {"Spanish": ["Español", "spanish", "Castellano"], "French": ["Français"],
                     "German": ["Deutsch"], "Mandarin": ["Mandarin Chinese", "Chinese (Mandarin)",
                                                        "中文"],
                     "Portuguese": ["Português"], "English": ["english", "ENGLISH", "Eng"],
                     "Persian": ["Farsi"], "Tagalog": ["Filipino"],
                     "American Sign Language": ["ASL"], "Japanese": ["日本語"]}
FIRST_NAMES = bars(
    "James|Mary|Michael|Patricia|Robert|Jennifer|John|Linda|David|Elizabeth|William|Barbara|"
    "Richard|Susan|Joseph|Jessica|Thomas|Sarah|Christopher|Karen|Daniel|Lisa|Matthew|Nancy|"
    "Anthony|Sandra|Mark|Ashley|Steven|Emily|Andrew|Michelle|Joshua|Amanda|Kevin|Melissa|Brian|"
    "Stephanie|Ryan|Rebecca|Jacob|Laura|Tyler|Hannah|Ethan|Olivia|Noah|Emma|Liam|Ava|Mason|"
    "Sophia|Lucas|Isabella|Aiden|Mia|Jayden|Chloe|Priya|Arjun|Ananya|Rahul|Aisha|Rohan|Kavya|"
    "Vikram|Deepika|Sanjay|Wei|Mei|Jun|Li|Xin|Hao|Yuki|Haruto|Sakura|Kenji|Min-jun|Seo-yeon|"
    "Ji-woo|Hyun|Nguyen|Linh|Minh|Thao|José|María|Juan|Lucía|Carlos|Sofía|Diego|Valentina|"
    "Andrés|Camila|Mateo|Ximena|Javier|Guadalupe|Luis|Ana|João|Beatriz|Gonçalo|Inês|"
    "François|Chloé|Amélie|Théo|Zoë|Noémie|Léa|Jérôme|Hélène|Björn|Søren|Åsa|Jörg|Jürgen|"
    "Lena|Lukas|Felix|Anja|Łukasz|Małgorzata|Zofia|Piotr|Ivan|Olga|Dmitri|Natalia|Oleksandr|"
    "Yuliia|Fatima|Omar|Layla|Youssef|Mariam|Ahmed|Noor|Hassan|Zainab|Mustafa|Amina|Chinedu|"
    "Ngozi|Oluwaseun|Adaeze|Kwame|Abena|Kofi|Wanjiru|Tendai|Thandiwe|Sipho|Lindiwe|Mohammed|"
    "Yasmin|Tariq|Leila|Dariush|Shirin|Avi|Noa|Yael|Eitan|Siobhán|Seán|Aoife|Niamh|Dylan|"
    "Rhys|Cerys|Megan|Alex|Jordan|Taylor|Morgan|Casey|Riley|Sam|Jamie|Quinn|Avery|Kai|"
    "Leilani|Keanu|Malia|Tupac|Aroha|Manaia|Dolores|Gustavo|Renata|Ximena|Çağla|Emre|Elif|"
    "Mehmet|Ayşe|Dimitrios|Eleni|Giorgos|Katarina|Marko|Ivana|Nikola|Ewa"
)
LAST_NAMES = bars(
    "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|"
    "Gonzalez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|"
    "Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Torres|"
    "Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Rivera|Campbell|Mitchell|Carter|Roberts|"
    "Patel|Shah|Kumar|Singh|Sharma|Gupta|Iyer|Reddy|Mehta|Desai|Chen|Wang|Li|Zhang|Liu|Yang|"
    "Huang|Zhao|Wu|Zhou|Tanaka|Suzuki|Sato|Takahashi|Watanabe|Kim|Park|Choi|Jung|Kang|Tran|"
    "Pham|Le|Hoang|Vu|Silva|Santos|Oliveira|Souza|Pereira|Costa|Ferreira|Alves|Müller|Schmidt|"
    "Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schäfer|Köhler|Dubois|Lefèvre|Moreau|Girard|"
    "Fontaine|Rousseau|Bernard|Petit|Nowak|Kowalski|Wiśniewski|Wójcik|Kowalczyk|Ivanov|"
    "Petrov|Smirnov|Kuznetsov|Popov|Shevchenko|Kovalenko|Bondarenko|Haddad|Khalil|Hassan|"
    "Ali|Ahmed|Mansour|Nasser|Okafor|Adeyemi|Okonkwo|Mensah|Asante|Owusu|Mwangi|Otieno|"
    "Ndlovu|Dlamini|Cohen|Levi|Friedman|Goldberg|Katz|O'Brien|O'Connor|Murphy|Kelly|"
    "Sullivan|Byrne|MacDonald|Campbell|Stewart|Jones|Evans|Hughes|Ó Súilleabháin|Andersson|"
    "Johansson|Nilsson|Larsen|Hansen|Jensen|Nielsen|Ødegaard|Virtanen|Korhonen|Rossi|Russo|"
    "Ferrari|Esposito|Bianchi|Romano|Papadopoulos|Yılmaz|Kaya|Demir|Çelik|Şahin|Horvat|"
    "Novak|Kovačević|Jovanović|de la Cruz|Reyes|Santos|Mendoza|Bautista|Kahananui|Nakamura|"
    "Van der Berg|De Vries|Janssen|Álvarez|Gómez|Díaz|Muñoz|Jiménez|Ruiz|Hernández|Castillo"
)
PRONOUNS = ["she/her", "he/him", "they/them", "", "", "she/they", "he/they"]
ORG_WORDS_A = bars(
    "Lumen|Harbor|Meridian|Summit|Blue|Northwind|Cedar|Atlas|Pioneer|Beacon|Crescent|"
               "Granite|Silver|Evergreen|Riverside|Orbit|Quantum|Sterling|Maple|Horizon|Vertex|"
               "Keystone|Redwood|Ironclad|Bright|Coastal|Prairie|Union|Liberty|Golden")
ORG_WORDS_B = bars(
    "Systems|Health|Labs|Bank|Partners|Group|University|Hospital|Foundation|Logistics|"
               "Studio|Analytics|Consulting|Media|Energy|Capital|Schools|Works|Networks|Clinic|"
               "Collective|Insurance|Motors|Foods|Robotics")
EMAIL_DOMAINS = [("gmail.com", 45), ("yahoo.com", 8), ("outlook.com", 8), ("hotmail.com", 5),
                 ("icloud.com", 5), ("proton.me", 2), ("example.org", 10), ("mail.example", 5)]
MENTEE_GOALS = [
    "Move into {interest} within the next year.", "Land my first {occupation} job.",
    "Get better at {interest} and {interest2}.", "Prepare for interviews; practice {interest}.",
    "Find someone who went from {occupation} to a new career.",
    "Grow into a leadership role; advice on {interest}.", "Build confidence in {interest}.",
    "Apply to grad school this fall.", "Balance work and family while growing my career.",
    "Understand how to get promoted.", "",
]
MENTOR_GOALS = [
    "Happy to help with {interest} and {interest2}.", "Career advice for new {occupation}s.",
    "Paying it forward: someone mentored me into {interest}.",
    "Resume reviews, mock interviews, {interest}.", "I can help with {interest}, {interest2} and "
    "breaking into the field.", "Guidance on moving from individual contributor to manager.", "",
]
BIOS = ["{occupation} for {years} years.", "{occupation} at {org}; loves {interest}.",
        "Former {occupation2}, now {occupation}.", "Based in {city}. Into {interest}.", "", ""]

KEYBOARD = dict(zip("qwertyuiopasdfghjklzxcvbnm",
                    bars("wa|qes|wrd|etf|ryg|tuh|yij|uok|ipl|ol|qsz|awdx|sefc|drgv|fthb|gyjn|hukm|"
                         "jil|kop|asx|zsdc|xdfv|cfgb|vghn|bhjm|njk"), strict=True))


@functools.lru_cache(maxsize=65536)
def fold_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L") \
        .replace("ı", "i").replace("ß", "ss").replace("å", "a")


def zipf_cum(n: int, exponent: float, offset: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent for rank in range(n)))


class Picker:
    """Weighted choice with precomputed cumulative weights (bisect: fast in a loop)."""

    def __init__(self, items, cum):
        self.items, self.cum, self.total = list(items), list(cum), cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


def typo(rng: random.Random, text: str) -> str:
    """One realistic slip in the longest word: drop, double, swap, or hit a neighbouring key."""
    words = text.split(" ")
    k = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[k]
    if len(w) < 4:
        return text
    i = rng.randrange(1, len(w) - 1)
    kind = rng.random()
    if kind < 0.3:
        w = w[:i] + w[i + 1:]
    elif kind < 0.5:
        w = w[:i] + w[i] + w[i:]
    elif kind < 0.75:
        w = w[:i - 1] + w[i] + w[i - 1] + w[i + 1:]
    else:
        c = w[i].lower()
        w = w[:i] + (rng.choice(KEYBOARD[c]) if c in KEYBOARD else c) + w[i + 1:]
    words[k] = w
    return " ".join(words)


# --- reference files: extra variants ----------------------------------------------------------


def _yaml(path: Path):
    if not path.exists():
        return None
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except Exception:  # a half-written file from a colleague: ignore it, do not crash
        return None


def eval_groups(name: str) -> list[tuple[str, list[str]]]:
    """(canonical, variants) from tests/eval/<name>.yaml, when present."""
    data = _yaml(EVAL / name)
    groups = data.get("groups", []) if isinstance(data, dict) else []
    return [(str(g["canonical"]), [str(v) for v in g.get("variants", [])])
            for g in groups if isinstance(g, dict) and g.get("canonical")]


def occupation_data_variants() -> dict[str, list[str]]:
    """Title -> aliases from mentorctl/data/occupations.yaml (format tolerated loosely)."""
    data = _yaml(DATA / "occupations.yaml")
    out: dict[str, list[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            title = next((node[k] for k in ("name", "title", "canonical", "label")
                          if isinstance(node.get(k), str)), None)
            alts = [a for k in ("aliases", "variants", "synonyms", "alt_names")
                    for a in (node.get(k) or []) if isinstance(a, str)]
            if title:
                out.setdefault(title, []).extend(alts)
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return out


def sources_fingerprint() -> str:
    """Hash of this script and every reference file it reads: part of the cache key."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [EVAL / "occupations.yaml", EVAL / "schools.yaml", EVAL / "places.yaml",
                 DATA / "occupations.yaml", DATA / "school_aliases.yaml",
                 DATA / "place_aliases.yaml", DATA / "schools.tsv.gz", DATA / "places.tsv.gz"]:
        digest.update(path.name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# --- the pools --------------------------------------------------------------------------------


class Pools:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self._occupations()
        self._schools()
        self._places()
        self.interest = Picker(INTERESTS, zipf_cum(len(INTERESTS), 1.05, 2.0))
        self.language = Picker([name for name, _ in LANGUAGES],
                               list(itertools.accumulate(w for _, w in LANGUAGES)))
        self.first = Picker(FIRST_NAMES, zipf_cum(len(FIRST_NAMES), 0.6, 5.0))
        self.last = Picker(LAST_NAMES, zipf_cum(len(LAST_NAMES), 0.6, 5.0))
        self.domain = Picker([d for d, _ in EMAIL_DOMAINS],
                             list(itertools.accumulate(w for _, w in EMAIL_DOMAINS)))

    def _occupations(self):
        titles = [t for family in OCCUPATIONS.values() for t in family.split("|")]
        tail = [t for t in titles if t not in HEAD_OCCUPATIONS]
        self.rng.shuffle(tail)
        ordered = HEAD_OCCUPATIONS + tail
        self.occupation_titles = ordered
        self.occupation = Picker(ordered, zipf_cum(len(ordered), 1.0, 3.0))
        variants: dict[str, list[str]] = {}
        for canonical, vs in eval_groups("occupations.yaml"):
            variants.setdefault(canonical, []).extend(vs)
        for title, vs in occupation_data_variants().items():
            variants.setdefault(title, []).extend(vs)
        # Match variants to our titles case-insensitively (the eval canonical may differ in case).
        lower = {t.lower(): t for t in ordered}
        self.occupation_variants = {lower[k.lower()]: sorted(set(v)) for k, v in variants.items()
                                    if k.lower() in lower and v}
        # Eval titles we do not list still appear (as their own small family of spellings).
        extra = [(k, sorted(set(v))) for k, v in sorted(variants.items())
                 if k.lower() not in lower and v]
        self.extra_occupations = extra

    def _schools(self):
        aliases: dict[str, list[str]] = {}
        data = _yaml(DATA / "school_aliases.yaml")
        if isinstance(data, dict):
            for alias, target in (data.get("aliases") or {}).items():
                aliases.setdefault(str(target), []).append(str(alias))
        for canonical, vs in eval_groups("schools.yaml"):
            aliases.setdefault(canonical, []).extend(vs)
        head: list[str] = list(aliases)
        tail: list[str] = []
        alt: dict[str, list[str]] = {}
        path = DATA / "schools.tsv.gz"
        if path.exists():
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                rows = list(csv.reader(handle, delimiter="\t"))[1:]
            for n, row in enumerate(rows):
                if len(row) < 3:
                    continue
                name = row[2]
                if row[3:] and row[3]:
                    alt.setdefault(name, []).extend(row[3].split("|"))
                if n < 100 and name not in head:
                    head.append(name)
                elif row[1] in ("United States", "United Kingdom", "Canada", "India", "Germany",
                                "Mexico", "Brazil", "Nigeria", "Philippines", "Australia") and \
                        re.search(r"University|College|Institute|Universidad|Universität", name):
                    tail.append(name)
        else:
            head += ["Harvard University", "Stanford University", "Howard University",
                     "New York University", "Ohio State University", "Boston University"]
        tail = sorted(set(tail) - set(head))
        self.rng.shuffle(tail)
        ordered = head + tail[:900]
        self.school_variants = {k: sorted(set(v + alt.get(k, []))) for k, v in aliases.items()}
        for name in ordered:
            if name not in self.school_variants and alt.get(name):
                self.school_variants[name] = sorted(set(alt[name]))
        self.school = Picker(ordered, zipf_cum(len(ordered), 0.95, 4.0))

    def _places(self):
        states: dict[str, str] = {}
        countries: dict[str, str] = {}
        cities: list[tuple[str, str, str, int]] = []  # name, country code, admin1, population
        path = DATA / "places.tsv.gz"
        if path.exists():
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for line in handle:
                    parts = line.rstrip("\n").split("\t")
                    if parts[0] == "C":
                        countries[parts[1]] = parts[2]
                    elif parts[0] == "R" and parts[1] == "US":
                        states[parts[2]] = parts[3]
                    elif parts[0] == "P" and len(cities) < 3000:
                        cities.append((parts[2], parts[3], parts[4], int(parts[7] or 0)))
        if not cities:
            cities = [("New York City", "US", "NY", 8_800_000), ("Chicago", "US", "IL", 2_700_000),
                      ("London", "GB", "ENG", 8_900_000), ("Toronto", "CA", "08", 2_700_000)]
        boost = {"US": 6.0, "GB": 2.0, "CA": 2.5, "IN": 1.0, "DE": 1.5, "AU": 2.0, "IE": 2.0,
                 "MX": 1.0, "BR": 0.6, "NG": 1.0, "FR": 1.0, "NL": 1.5}
        weights = [max(pop, 1000) ** 0.95 * boost.get(cc, 0.25) for _, cc, _, pop in cities]
        self.cities, self.states, self.countries = cities, states, countries
        self.city = Picker(range(len(cities)), list(itertools.accumulate(weights)))
        # Curated spellings, keyed by the first part of the canonical city name.
        variants: dict[str, list[str]] = {}
        for canonical, vs in eval_groups("places.yaml"):
            variants.setdefault(canonical.split(",")[0].strip(), []).extend(vs)
        data = _yaml(DATA / "place_aliases.yaml")
        if isinstance(data, dict):
            for alias, target in (data.get("cities") or {}).items():
                variants.setdefault(str(target).split(",")[0].strip(), []).append(str(alias))
        if "New York City" in variants:
            variants["New York City"] += ["NYC", "New York, NY", "Manhattan", "New York"]
        self.place_variants = {k: sorted(set(v)) for k, v in variants.items()}

    # --- renderings -----------------------------------------------------------------------

    def occupation_text(self, rng: random.Random, role: str, org: str) -> str:
        if rng.random() < 0.03:
            return ""
        if self.extra_occupations and rng.random() < 0.02:
            canonical, vs = rng.choice(self.extra_occupations)
            return rng.choice(vs + [canonical])
        if role == "mentee" and rng.random() < 0.12:
            return rng.choice(["Student", "Graduate Student", "PhD Student", "Student", "student",
                               "Career changer", "Unemployed", "Intern", "Bootcamp student",
                               "CS student", "Grad student", "Undergrad", "Stay-at-home parent"])
        title = self.occupation(rng)
        r = rng.random()
        senior_p = 0.45 if role != "mentee" else 0.08
        junior_p = 0.03 if role != "mentee" else 0.3
        if title not in NO_SENIORITY:
            s = rng.random()
            if s < senior_p:
                title = f"{rng.choice(SENIOR_WORDS)} {title}"
            elif s < senior_p + junior_p:
                title = f"{rng.choice(JUNIOR_WORDS)} {title}"
            elif s < senior_p + junior_p + 0.05:
                title += rng.choice(LEVEL_SUFFIX)
        if r < 0.55:
            text = title
        elif r < 0.67:
            text = self._abbreviate(rng, title)
        elif r < 0.74 and " " in title:
            words = title.split(" ")
            text = f"{words[-1]}, {' '.join(words[:-1])}"  # "Nurse, Registered"
        elif r < 0.82:
            text = title.lower() if rng.random() < 0.8 else title.upper()
        elif r < 0.91:
            text = typo(rng, title)
            if rng.random() < 0.15:
                text = typo(rng, text)
        elif r < 0.96:
            base = title.split(" ", 1)[-1] if title.split(" ")[0] in SENIOR_WORDS else title
            curated = self.occupation_variants.get(base)
            text = rng.choice(curated) if curated else title
        else:
            text = title + rng.choice(TITLE_NOISE).format(org=org)
        return text

    @staticmethod
    def _abbreviate(rng: random.Random, title: str) -> str:
        for long, shorts in ABBREVIATIONS:
            if long in title:
                return title.replace(long, rng.choice(shorts), 1)
        return title.lower()

    def school_text(self, rng: random.Random) -> str:
        name = self.school(rng)
        r = rng.random()
        variants = self.school_variants.get(name)
        if r < 0.5:
            text = name
        elif r < 0.75 and variants:
            text = rng.choice(variants)
        elif r < 0.8:
            text = name.replace("University", "Univ.").replace("Institute", "Inst.")
        elif r < 0.84 and name.startswith("University of "):
            text = name.replace("University of ", rng.choice(["U of ", "U. of ", "Univ of "]))
        elif r < 0.9:
            text = name.lower()
        elif r < 0.96:
            text = typo(rng, name)
        else:
            base = rng.choice(variants) if variants else name
            text = base + rng.choice([" '15", " (BS)", " (MBA)", " 2019", " - Masters",
                                      " (BA, 2012)", ", PhD", " (dropped out)"])
        return text

    def place_text(self, rng: random.Random, city_index: int) -> str:
        name, cc, admin1, _pop = self.cities[city_index]
        curated = self.place_variants.get(name)
        r = rng.random()
        if curated and r < 0.35:
            return rng.choice(curated)
        r = rng.random()
        country = self.countries.get(cc, cc)
        if cc == "US":
            state = self.states.get(admin1, admin1)
            forms = [f"{name}, {admin1}"] * 5 + [name] * 3 + [
                f"{name}, {state}", f"{name} {admin1}", f"{name}, {admin1}, USA"]
        else:
            forms = [name] * 4 + [f"{name}, {country}"] * 4 + [f"{name} ({country})",
                                                               f"{name}, {cc}"]
        text = forms[int(r * len(forms))]
        s = rng.random()
        if s < 0.06:
            text = text.lower()
        elif s < 0.09:
            text = typo(rng, text)
        elif s < 0.11:
            text = rng.choice(["Greater {} Area", "{} area", "near {}", "Remote - based in {}",
                               "{} metro"]).format(name)
        elif s < 0.13:
            text = fold_ascii(text)  # "Munchen", "Sao Paulo"
        return text


# --- the program --------------------------------------------------------------------------------


def generate(members: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    pools = Pools(random.Random(seed * 7919 + 17))
    n = members

    # Communities (teams, cohorts, chapters): sizes long-tailed, each with an organization, a
    # home city and often a school; most members live in their community's city.
    communities = []
    assigned = 0
    while assigned < n:
        size = min(n - assigned, max(3, int(rng.paretovariate(1.3) * 12)), 400)
        org = f"{rng.choice(ORG_WORDS_A)} {rng.choice(ORG_WORDS_B)}"
        communities.append((assigned, size, org, pools.city(rng),
                            pools.school(rng) if rng.random() < 0.4 else None))
        assigned += size
    community_of = [0] * n
    for c, (start, size, *_rest) in enumerate(communities):
        for i in range(start, start + size):
            community_of[i] = c
    hubs = rng.sample(range(n), max(1, n // 200))

    # People: names, unique emails (their local part is the member's id), roles.
    local_seen: dict[str, int] = {}
    people = []
    for i in range(n):
        first, last = pools.first(rng), pools.last(rng)
        if rng.random() < 0.05:
            first = f"{first} {pools.first(rng)}" if rng.random() < 0.5 else first
        name = f"{first} {last}"
        base = re.sub(r"[^a-z0-9]+", ".", fold_ascii(f"{first}.{last}").lower()).strip(".")
        if rng.random() < 0.15:
            base = re.sub(r"[^a-z0-9]+", "", fold_ascii(first[0] + last).lower())
        k = local_seen.get(base, 0) + 1
        local_seen[base] = k
        local = base if k == 1 else f"{base}{k}"
        org = communities[community_of[i]][2]
        domain = (re.sub(r"[^a-z]+", "", org.lower()) + ".example"
                  if rng.random() < 0.25 else pools.domain(rng))
        r = rng.random()
        role = "mentor" if r < 0.35 else "mentee" if r < 0.90 else "both"
        people.append((name, f"{local}@{domain}", local, role, org))

    start_time = datetime(2026, 1, 5, 8, 0, 0)
    span = timedelta(days=60).total_seconds() / max(n, 1)
    stamp = start_time
    rows = []
    for i, (name, email, _local, role, org) in enumerate(people):
        community = communities[community_of[i]]
        c_start, c_size, c_org, c_city, c_school = community
        stamp += timedelta(seconds=int(rng.expovariate(1.0 / span) + 1))
        role_text = rng.choice({"mentor": ["Mentor", "Mentor", "mentor", "MENTOR"],
                                "mentee": ["Mentee", "Mentee", "mentee", "MENTEE"],
                                "both": ["Both", "Mentor and mentee", "both"]}[role])
        occupation = pools.occupation_text(rng, role, org)
        k = rng.choices((0, 1, 2, 3), (12, 65, 20, 3))[0]
        schools = [c_school if (j == 0 and c_school and rng.random() < 0.5)
                   else None for j in range(k)]
        schools = [pools.school_text(rng) if s is None else s for s in schools]
        schools = list(dict.fromkeys(s for s in schools if s))
        r = rng.random()
        if r < 0.03:
            city = ""
        elif r < 0.05:
            city = rng.choice(["Remote", "remote", "Anywhere", "USA", "Remote (US)"])
        else:
            city_index = c_city if rng.random() < 0.6 else pools.city(rng)
            city = pools.place_text(rng, city_index)
        interests = list(dict.fromkeys(pools.interest(rng) for _ in range(rng.randint(1, 6))))
        if rng.random() < 0.3:
            interests = [t.title() if rng.random() < 0.5 else t for t in interests]
        languages = ["English"] if rng.random() < 0.88 else []
        while rng.random() < (0.35 if languages else 1.0):
            lang = pools.language(rng)
            if lang not in languages:
                languages.append(lang)
            if len(languages) >= 4:
                break
        languages = [rng.choice(LANGUAGE_VARIANTS[lang]) if lang in LANGUAGE_VARIANTS and
                     rng.random() < 0.1 else lang for lang in languages]
        # Friends: mostly within the community, some anywhere, some of them hubs.
        friend_count = rng.choices(range(9), (12, 16, 17, 15, 12, 10, 8, 6, 4))[0]
        friends: list[int] = []
        for _ in range(friend_count):
            f = rng.random()
            if f < 0.8 and c_size > 1:
                j = c_start + rng.randrange(c_size)
            elif f < 0.92:
                j = rng.randrange(n)
            else:
                j = rng.choice(hubs)
            if j != i and j not in friends:
                friends.append(j)
        refs = [people[j][1] if rng.random() < 0.6 else people[j][2] for j in friends]
        friend_text = (";" if rng.random() < 0.7 else "; ").join(refs)
        capacity = "" if role == "mentee" else str(rng.choices((0, 1, 2, 3), (8, 40, 35, 17))[0])
        available = "No" if rng.random() < 0.05 else rng.choice(["Yes", "Yes", "yes", "", "Yes"])
        fill = {"interest": interests[0], "interest2": interests[-1], "org": org,
                "occupation": occupation or "professional", "years": rng.randint(2, 30),
                "city": city or "the Midwest", "occupation2": pools.occupation(rng).lower()}
        goals = rng.choice(MENTEE_GOALS if role == "mentee" else MENTOR_GOALS).format(**fill)
        bio = rng.choice(BIOS).format(**fill)
        rows.append([
            f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.hour}:{stamp.minute:02d}:"
            f"{stamp.second:02d}",
            name, email if rng.random() < 0.995 else email.upper(), role_text, occupation,
            "; ".join(schools), city,
            (", " if rng.random() < 0.6 else "; ").join(interests), ", ".join(languages),
            friend_text, capacity, available, goals, bio,
            c_org if rng.random() < 0.85 else org, rng.choice(PRONOUNS),
        ])
    return rows


def write_csv(rows: list[list[str]], path: Path | None) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = buffer.getvalue()
    if path is None:
        sys.stdout.write(data)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(data, encoding="utf-8", newline="")
        tmp.replace(path)


def distinct_counts(rows: list[list[str]]) -> dict[str, int]:
    occupations = {r[4] for r in rows if r[4]}
    schools = {s.strip() for r in rows for s in r[5].split(";") if s.strip()}
    places = {r[6] for r in rows if r[6]}
    return {"occupation": len(occupations), "school": len(schools), "location": len(places)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, help="CSV file (default: standard output)")
    parser.add_argument("--stats", action="store_true", help="print distinct-string counts")
    args = parser.parse_args(argv)
    if args.members < 1:
        parser.error("--members must be at least 1")
    started = time.perf_counter()
    rows = generate(args.members, args.seed)
    write_csv(rows, args.output)
    if args.stats or args.output:
        counts = distinct_counts(rows)
        print(f"{args.members} members in {time.perf_counter() - started:.1f} s; distinct "
              + ", ".join(f"{k}: {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
