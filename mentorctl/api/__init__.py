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

from mentorctl.api.common import (  # noqa: F401
    backup,
    database_path,
    default_settings,
    guideline,
    guidelines,
    init_settings,
    load_settings,
    read_sources,
    sample_files,
    settings_file,
    write_csv,
)
from mentorctl.api.matching import (  # noqa: F401
    intro,
    pair,
    pair_auto,
    plan,
    suggest,
    suggest_all,
)
from mentorctl.api.members import (  # noqa: F401
    import_members,
    list_members,
    promote_member,
    resolutions,
    resolve,
    set_member,
    show_member,
    unresolved,
)
from mentorctl.api.pairings import (  # noqa: F401
    export,
    export_eml,
    export_table,
    list_pairings,
    report,
    send_checkins,
    send_intros,
    show_pairing,
    stale,
    step,
)
