"""The project's errors, in one place. Each prints as one line that names the file."""
from __future__ import annotations


class PipelineError(Exception):
    """Base class: an error the CLI reports as one line and a non-zero exit."""


class PathError(PipelineError):
    """An error about one file or folder: `path: reason`."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InputError(PathError):
    """A raw file that cannot be read (encoding, binary content, ...)."""


class RuleError(PipelineError):
    """A rule file that does not validate: `file:line rule ID: message`."""

    def __init__(self, path: str, line: int | None, rule_id: str | None, message: str):
        where = f"{path}:{line}" if line else path
        rule = f" rule {rule_id}" if rule_id else ""
        super().__init__(f"{where}{rule}: {message}")
        self.path = path
        self.line = line
        self.rule_id = rule_id
        self.message = message


class StageError(PipelineError):
    """A stage that failed on one document; the run goes on with the others."""

    def __init__(self, doc_id: str, stage: str, reason: str):
        super().__init__(f"{doc_id}: stage {stage}: {reason}")
        self.doc_id = doc_id
        self.stage = stage
        self.reason = reason


class OutputError(PathError):
    """An output folder that may not or cannot be written; found before any extraction work."""


class UsageError(PipelineError):
    """A command-line option with a value the command cannot use."""
