"""The one door into mentorctl: a function per unit of work a coordinator does.

Each function opens the program's database, does its work in one transaction of its own (reads
write nothing), closes it, and returns frozen dataclasses from `mentorctl.model`. Problems are
raised as `mentorctl.errors.MentorctlError` subclasses. The command line is a thin layer over
this module, and a script can do everything the command line does:

    from mentorctl import api

    api.import_members(["signups.csv"], db="program.db")
    for s in api.suggest("alice@example.org", db="program.db").suggestions:
        print(s.score, s.name, [p.text for p in s.shared])
    result = api.pair_auto(db="program.db")
    print(len(result.created), "pairings proposed")

Every function takes `db` (a path; default `$MENTORCTL_DB`, else the app directory) and the
ones that score or match take `settings` (default: the settings file beside the database, or
`$MENTORCTL_CONFIG`). Heavy modules are imported inside the functions, so importing this module
stays cheap.
"""

from __future__ import annotations

import importlib

# Each name is imported from its module on first use (PEP 562), so that a command loads only the
# part of the api it calls and `mentorctl --help` none of it.
_HOME = {
    "backup": "common", "database_path": "common", "default_settings": "common",
    "guideline": "common", "guidelines": "common", "init_settings": "common",
    "load_settings": "common", "read_sources": "common", "sample_files": "common",
    "settings_file": "common", "write_csv": "common",
    "intro": "matching", "pair": "matching", "pair_auto": "matching", "plan": "matching",
    "suggest": "matching", "suggest_all": "matching",
    "import_members": "members", "list_members": "members", "promote_member": "members",
    "resolutions": "members", "resolve": "members", "save_import_map": "members",
    "set_member": "members",
    "show_member": "members", "unresolved": "members",
    "expire": "pairings", "export": "pairings", "export_eml": "pairings",
    "export_table": "pairings",
    "list_pairings": "pairings", "report": "pairings", "send_checkins": "pairings",
    "send_intros": "pairings", "show_pairing": "pairings", "stale": "pairings",
    "step": "pairings", "steps": "pairings",
    "backups": "roster", "duplicates": "roster", "merge_members": "roster",
    "prune_backups": "roster", "remove_member": "roster", "restore": "roster", "undo": "roster",
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'mentorctl.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mentorctl.api.{module}"), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
