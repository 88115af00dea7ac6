"""mentorctl: run a mentoring program from the command line."""

__version__ = "0.1.0"
