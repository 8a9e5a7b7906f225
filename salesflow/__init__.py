"""salesflow: a terminal CRM for people who sell alone."""

__version__ = "0.1.0"
