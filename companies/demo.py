"""Demo data for the directory (filled in by the companies work)."""


def load_demo() -> str:
    return "no demo companies yet"
