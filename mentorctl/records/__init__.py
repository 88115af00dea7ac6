"""The frozen dataclasses every layer shares, one module per concern; `mentorctl.model` serves
them on first use, loading only the module a name lives in (building dataclasses costs about a
millisecond each, which `mentorctl --help` and a quick `report` should not pay for all of them).
These modules need none of the model's constants, so model and records never import each other.
"""
