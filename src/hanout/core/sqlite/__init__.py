"""Django's SQLite backend with a first-come, first-served write lock (see base.py)."""
