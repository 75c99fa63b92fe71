"""tender-check: a compliance checker for Chinese tender documents built around first-set (首台（套）) policies.

Library use::

    from checker import check_path, CheckOptions
    report = check_path("招标文件.pdf", CheckOptions(jurisdiction="auto"))
"""

__version__ = "0.1.0"


def __getattr__(name):  # keep `import checker` cheap: spaCy and the parsers load on first use
    if name in {"check_path", "check_bytes", "check_text", "CheckOptions"}:
        from checker import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
