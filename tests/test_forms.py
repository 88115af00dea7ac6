"""Form exports import as they are (issue 14): question headers, written-out answers, no flags.

The files under tests/data/forms/ are exports as Google Forms, Microsoft Forms, Typeform,
Jotform and Excel write them; google_forms.csv uses the issue's own question headers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorctl import api
from mentorctl.answers import read_capacity, read_role
from mentorctl.errors import MissingColumns
from mentorctl.headers import header_scores, normalize

FORMS = Path(__file__).resolve().parent / "data" / "forms"
FIELDS = ("email", "role", "occupation", "schools", "location", "interests", "friends",
          "languages", "capacity")


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


def show(run, ref: str) -> dict:
    return run.json("member", "show", ref, "--json")


# --- every form imports with no flags and keeps every field ------------------------------------

EXPECTED = {  # file -> (members, {column: field} for every column that holds a member field)
    "google_forms.csv": (6, {
        "Email Address": "email", "What's your name?": "name",
        "Are you joining as a mentor or a mentee?": "role", "Current job title": "occupation",
        "School(s) you attended": "schools", "Topics you care about": "interests",
        "Friends already in the program (emails)": "friends",
        "How many mentees can you take on?": "capacity", "Where are you based?": "location",
        "Languages you speak": "languages"}),
    "microsoft_forms.csv": (4, {
        "Email": "email", "Name": "name", "Which best describes you?": "role",
        "What do you do for work?": "occupation", "Where did you study? (list all)": "schools",
        "Which city do you live in?": "location",
        "What would you like to learn or share?": "goals",
        "Max number of mentees (mentors only)": "capacity",
        "Do you know anyone else in the program? Give their emails": "friends",
        "Company": "organization"}),
    "typeform.csv": (3, {
        "First name": "name", "Last name": "name", "What's your email?": "email",
        "How do you want to take part?": "role", "What's your current role?": "occupation",
        "Where did you go to school?": "schools",
        "What topics are you interested in?": "interests",
        "Which languages do you speak?": "languages",
        "How many mentees could you take on?": "capacity",
        "Tell us a bit about yourself": "bio",
        "What do you hope to get out of the program?": "goals"}),
    "jotform.csv": (3, {
        "Full Name": "name", "E-mail": "email", "I am signing up as": "role",
        "Occupation": "occupation", "Education": "schools", "City / Country": "location",
        "Areas of interest": "interests", "Maximum number of mentees": "capacity",
        "Preferred language(s)": "languages", "Organization": "organization"}),
    "excel_utf8_bom.csv": (3, {
        "Nom": "name", "Email": "email", "Mentor / mentee?": "role", "Job": "occupation",
        "Universities": "schools", "Location": "location", "Skills": "interests",
        "Max. mentees": "capacity"}),
}
METADATA = {"Timestamp", "ID", "Start time", "Completion time", "Last modified time", "#",
            "Start Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags", "Submission Date",
            "Submission ID"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_form_imports_with_no_flags_and_maps_every_member_column(run, name):
    members, expected = EXPECTED[name]
    summary = run.json("import", FORMS / name, "--json")
    assert (summary["created"], summary["rejected"]) == (members, 0)
    mapped = {c["column"]: c["field"] for c in summary["columns"] if c["field"]}
    assert mapped == expected
    kept = {c["column"] for c in summary["columns"] if not c["field"]}
    assert kept <= METADATA | {"Remarks"}
    assert not [c for c in summary["columns"] if c["looks_like"]]  # nothing to warn about
    assert len(run.json("member", "list", "--format", "json")) == members


def test_the_issue_export_keeps_capacity_schools_topics_and_friends(run):
    result = run("import", FORMS / "google_forms.csv")
    assert "6 created, 0 updated, 0 unchanged, 0 rejected" in result.stdout
    ana = show(run, "ana.lima@example.org")
    assert (ana["role"], ana["capacity"]) == ("mentor", 2)  # capacity 2 stays 2
    # A cell's schools split on new lines, never on the comma inside a school's name.
    assert ana["schools"] == ["University of California, Berkeley", "MIT"]
    assert ana["interests"] == ["python", "career growth"]
    assert ana["friends"] == ["bo.chen@example.org"]
    assert ana["languages"] == ["English", "Portuguese"]
    assert ana["occupation"] == "Senior Software Engineer" and ana["location"] == "Oakland, CA"
    assert ana["extra"] == {"Timestamp": "3/14/2026 9:02:11"}
    roles = {m["id"]: (m["role"], m["capacity"]) for m in run.json(
        "member", "list", "--format", "json")}
    assert roles == {"ana.lima": ("mentor", 2), "bo.chen": ("mentee", 1),  # "N/A": the default
                     "cy.diaz": ("mentor", 3),  # "Up to 3"
                     "di.evans": ("mentee", 1), "ed.fox": ("both", 1), "flo.gray": ("mentee", 1)}
    assert show(run, "ed.fox")["friends"] == ["ana.lima@example.org", "cy.diaz@example.org"]


def test_excel_exports_in_cp1252_and_utf8_with_bom(run):
    run("import", FORMS / "excel_cp1252.csv", "--encoding", "cp1252")
    jose = show(run, "jose.nunez@example.org")
    assert (jose["name"], jose["capacity"], jose["schools"]) == (
        "José Núñez", 2, ["Universidad de Chile"])
    run("import", FORMS / "excel_utf8_bom.csv")
    ines = show(run, "ines.petit@example.org")
    assert (ines["name"], ines["role"], ines["interests"]) == ("Inès Petit", "both",
                                                               ["droit immobilier"])
    assert show(run, "remi.roux@example.org")["extra"] == {"Remarks": "étudiant en M2"}


def test_typeform_first_and_last_name_and_microsoft_forms_response_number(run):
    run("import", FORMS / "typeform.csv", FORMS / "microsoft_forms.csv")
    max_ = show(run, "max.nyberg@example.org")
    assert max_["name"] == "Max Ove Nyberg" and max_["role"] == "mentee"
    assert show(run, "kai.lund")["bio"].startswith("Ten years")
    gil = show(run, "gil.moreno@example.org")  # the id comes from the email, not "ID" = 1
    assert gil["id"] == "gil.moreno" and gil["extra"]["ID"] == "1"
    assert gil["schools"] == ["Universidad de los Andes", "Purdue University"]


def test_yaml_keys_are_read_like_headers(run, tmp_path):
    path = write(tmp_path, "m.yaml", "- What's your name?: Ray Sun\n"
                 "  Are you joining as a mentor or a mentee?: I'd like to mentor someone\n"
                 "  How many mentees can you take on?: 2\n")
    run("import", path)
    assert (show(run, "Ray Sun")["role"], show(run, "Ray Sun")["capacity"]) == ("mentor", 2)


# --- the mapping is shown; refusals and warnings name the columns -------------------------------


def test_every_import_prints_its_mapping_and_dry_run_the_full_table(run, db_path):
    compact = run("import", FORMS / "google_forms.csv").stderr
    assert "How many mentees can you take on? → capacity" in compact
    assert "kept as extra: Timestamp" in compact
    table = run("import", FORMS / "microsoft_forms.csv", "--dry-run").stderr
    assert "microsoft_forms.csv: columns" in table
    lines = {line.strip().split("  ")[0]: line for line in table.splitlines() if line.strip()}
    assert "form metadata" in lines["Start time"] and "(kept as extra)" in lines["Start time"]
    assert "role" in lines["Which best describes you?"]
    assert "answers" in lines["Which best describes you?"]


def test_missing_role_refused_with_the_table_and_the_likely_columns(run, tmp_path, db_path):
    path = write(tmp_path, "r.csv", "Full name,Are you a mentor?,City\nA B,Yes,Austin\n"
                 "C D,No,Austin\n")
    result = run("import", path, code=1)
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and "required field 'role'" in error
    assert "likely: 'Are you a mentor?'" in error and "--role ROLE" in error
    assert "r.csv: columns" in result.stderr and "looks like role" in result.stderr
    with pytest.raises(MissingColumns) as caught:
        api.import_members([path])
    assert caught.value.likely == {"role": ["Are you a mentor?"]}
    assert [c.field for c in caught.value.columns] == ["name", None, "location"]


def test_a_column_that_looks_like_a_member_field_kept_as_extra_is_warned_about(run, tmp_path):
    path = write(tmp_path, "w.csv", "Name,Role,Career\nA B,mentor,Nurse\n")
    result = run("import", path)
    assert ("Warning: " in result.stderr and "column 'Career' looks like occupation but is kept "
            "as extra: map it with --map 'Career=occupation'" in result.stderr)
    run("import", path, "--map", "Career=occupation")
    assert show(run, "A B")["occupation"] == "Nurse"


def test_role_option_fills_blanks_only_never_an_answered_role(run, tmp_path):
    # The bug report: --role mentee turned the mentors of this export into mentees.
    run("import", FORMS / "google_forms.csv", "--role", "mentee")
    assert show(run, "ana.lima")["role"] == "mentor" and show(run, "ed.fox")["role"] == "both"
    path = write(tmp_path, "b.csv", "Name,Are you joining as a mentor or a mentee?\n"
                 "Al Bo,Mentor\nCy Do,\n")
    run("import", path, "--role", "mentee")
    assert (show(run, "Al Bo")["role"], show(run, "Cy Do")["role"]) == ("mentor", "mentee")


def test_unreadable_role_answer_is_an_error_with_file_line_and_field(run, tmp_path, db_path):
    path = write(tmp_path, "u.csv", "Name,Are you joining as a mentor or a mentee?\n"
                 "Al Bo,Mentor\nCy Do,Mentee\nEd Fo,Still deciding\n")
    result = run("import", path, code=1)
    assert "u.csv:4: role: 'Still deciding' is not a role" in result.stderr


# --- a mapping saved in the settings -------------------------------------------------------------


def test_saved_mapping_applies_to_the_next_export_and_keeps_the_settings_comments(
        run, tmp_path, isolated):
    run("config", "init")
    first = write(tmp_path, "week1.csv", "Name,Role,Home base,Cohort\nAl Bo,mentor,Austin,A\n")
    result = run("import", first, "--map", "Home base=location", "--map", "Cohort=extra",
                 "--save-map")
    assert "Saved 2 column mappings under import.map" in result.stderr
    assert "comments are gone" not in result.stderr
    settings = (isolated / "mentorctl.yaml").read_text(encoding="utf-8")
    assert "# mentorctl program settings" in settings and "Home base: location" in settings
    assert "    Cohort: extra\n\nintro:" in settings  # the sections around it are untouched
    shown = run.json("config", "show", "--json")
    assert shown["settings"]["import"]["map"] == {"Home base": "location", "Cohort": "extra"}
    second = write(tmp_path, "week2.csv", "Name,Role,Home base\nCy Do,mentee,Boston\n")
    summary = run.json("import", second, "--json")
    assert [(c["column"], c["field"], c["how"]) for c in summary["columns"]][2] == (
        "Home base", "location", "settings")
    assert show(run, "Cy Do")["location"] == "Boston"
    # --map on the command line wins over the saved mapping.
    run("import", second, "--map", "Home base=extra")
    assert show(run, "Cy Do")["extra"] == {"Home base": "Boston"}


def test_save_map_without_a_settings_file_creates_one_and_refuses_bad_input(run, tmp_path,
                                                                            isolated):
    path = write(tmp_path, "a.csv", "Name,Role,Home base\nAl Bo,mentor,Austin\n")
    run("import", path, "--map", "Home base=location", "--save-map")
    assert "Home base: location" in (isolated / "mentorctl.yaml").read_text(encoding="utf-8")
    assert "--save-map saves the --map" in run("import", path, "--save-map", code=2).stderr
    (isolated / "mentorctl.yaml").write_text("import:\n  map:\n    City: shoe\n")
    assert "import.map 'City': unknown field 'shoe'" in run("config", "show", code=1).stderr


# --- the readers underneath ----------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "role"), [
    ("I'd like to mentor someone", "mentor"), ("I'm looking for a mentor", "mentee"),
    ("I want a mentor", "mentee"), ("Find a mentor", "mentee"), ("Be mentored", "mentee"),
    ("Both — mentor and be mentored", "both"), ("Mentor (I have experience to share)", "mentor"),
    ("Both (Mentee and Mentor)", "both"), ("MENTEE", "mentee"), ("Busco un mentor", "mentee"),
    ("Mentorado", "mentee"), ("Les deux", "both"), ("Still deciding", None), ("boss", None),
    ("I want to give back and help others navigate the IC-to-manager transition.", None),
])
def test_role_answers_as_people_write_them(answer, role):
    assert read_role(answer) == role


@pytest.mark.parametrize(("answer", "capacity"), [
    ("2", 2), ("Up to 3", 3), ("Two", 2), ("1-2", 2), ("3+", 3), ("N/A", None), ("", None),
    ("2 mentees max", 2), ("-1", "unreadable"), ("1.5", "unreadable"), ("lots", "unreadable"),
])
def test_capacity_answers(answer, capacity):
    assert read_capacity(answer) == capacity


def test_header_cues_and_look_alikes():
    assert normalize("School(s) you attended (list all)") == "schools you attended"
    assert max(header_scores("Current role"), key=header_scores("Current role").get) == \
        "occupation"
    assert "role" not in header_scores("Tell us about your role and focus in a few lines")
    assert "available" not in header_scores("Which days will you be available?")
    assert "capacity" not in header_scores("How many times have you participated?")
    assert "location" not in header_scores("Timezone")
