"""Nothing a user types destroys data: `extract --out` replaces only an output folder this tool
wrote (or an empty or missing one), one run at a time; a run with no documents, an unwritable
output or a bad option stops before any work with one line; files it does not read are named."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import run as run_module
from pipeline.cli import main
from pipeline.document import Document
from pipeline.errors import OutputError
from pipeline.tables import MARKER, OutputFolder, lock_path, render, write_doc_tables

from conftest import RULES_DIR

GOOD = "第1章 日米同盟\n両閣僚は、2017年2月4日に会談し、認識で一致した。\n"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root with its bytes (None for a folder; the target for a link)."""
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        out[key] = os.readlink(path).encode() if path.is_symlink() else path.read_bytes() if path.is_file() else None
    return out


@pytest.fixture
def no_work(monkeypatch):
    """Fails the test if any document is extracted."""
    def extract(*args):
        raise AssertionError("a document was extracted before the run was refused")

    monkeypatch.setattr(run_module, "_extract_path", extract)


def raw_folder(root: Path, files: dict[str, str] | None = None) -> Path:
    for name, text in (files or {"2017/a.txt": GOOD}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def extract(raw: Path, out: Path, *more: str, rules: Path = RULES_DIR) -> int:
    return main(["extract", "--raw", str(raw), "--rules", str(rules), "--out", str(out), "--jobs", "1", "--no-ner",
                 "--no-cache", *more])


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def _own_output(path: Path) -> None:
    write_doc_tables(path, [render(Document("2017/old", "2017", "旧い本文。\n"))[0]], [])


def _foreign_folder(path: Path) -> None:
    path.mkdir()
    (path / "notes.txt").write_text("mine\n", encoding="utf-8")


def _own_with_a_user_file(path: Path) -> None:
    _own_output(path)
    (path / "my_analysis.xlsx").write_bytes(b"PK\x03\x04")


def _a_file(path: Path) -> None:
    path.write_text("a user's file\n", encoding="utf-8")


def _a_link(path: Path) -> None:
    target = path.parent / "elsewhere"
    _own_output(target)
    path.symlink_to(target)


REFUSED = {
    "the raw folder": (lambda tmp: tmp / "raw", None, "not written by this tool"),
    "a file": (lambda tmp: tmp / "out", _a_file, "is a file, not an output folder"),
    "a folder of the user's": (lambda tmp: tmp / "out", _foreign_folder, "not written by this tool"),
    "an output holding a user's file": (lambda tmp: tmp / "out", _own_with_a_user_file, "holds my_analysis.xlsx"),
    "a symbolic link": (lambda tmp: tmp / "out", _a_link, "is a symbolic link"),
    "the working directory": (lambda tmp: tmp, None, "not written by this tool"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_cli_refuses_to_replace_what_it_did_not_write(tmp_path, capsys, no_work, case):
    where, make, message = REFUSED[case]
    raw = raw_folder(tmp_path / "raw")
    out = where(tmp_path)
    if make:
        make(out)
    before = tree(tmp_path)
    assert extract(raw, out) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"error: {out}: " in line and message in line
    assert tree(tmp_path) == before


@pytest.mark.parametrize("make", [_foreign_folder, _a_file, _own_with_a_user_file], ids=["folder", "file", "mixed"])
def test_cli_refuses_a_previous_output_it_did_not_write(tmp_path, capsys, no_work, make):
    raw = raw_folder(tmp_path / "raw")
    _own_output(tmp_path / "output")
    make(tmp_path / ".output.previous")
    before = tree(tmp_path)
    assert extract(raw, tmp_path / "output") == 2
    assert f"error: {tmp_path / '.output.previous'}: " in one_error_line(capsys.readouterr().err)
    assert tree(tmp_path) == before


@pytest.mark.parametrize("state", ["missing", "empty", "own", "own with report"])
def test_cli_replaces_a_missing_empty_or_own_output(tmp_path, capsys, state):
    raw = raw_folder(tmp_path / "raw")
    out = tmp_path / "deep" / "output"
    if state == "empty":
        out.mkdir(parents=True)
    elif state.startswith("own"):
        _own_output(out)
        _own_output(out)  # and a kept previous output of its own
        if state == "own with report":
            (out / "report").mkdir()
            (out / "report" / "index.html").write_text("<html/>", encoding="utf-8")
    assert extract(raw, out) == 0
    assert (out / MARKER).is_file() and "2017/a" in (out / "documents.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == (["output"] if state == "missing"
                                                            else [".output.previous", "output"])


def test_cli_no_input_documents_leaves_output(tmp_path, capsys, no_work):
    raw = raw_folder(tmp_path / "raw", {"2017/a.md": "# notes\n", "2017/b.docx": "PK"})
    _own_output(tmp_path / "output")
    before = tree(tmp_path)
    assert extract(raw, tmp_path / "output") == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{raw}: no input documents" in line and "2 other files" in line
    assert tree(tmp_path) == before


UNWRITABLE = {
    "below a file": (lambda tmp: tmp / "a_file" / "out", "is a file, not a folder"),
    "a folder the system does not let anyone write": (lambda tmp: Path("/sys/hakusho-test-output"), "cannot write"),
}


@pytest.mark.parametrize("case", sorted(UNWRITABLE))
def test_cli_unwritable_output_stops_before_work(tmp_path, capsys, no_work, case):
    where, message = UNWRITABLE[case]
    if case.startswith("a folder") and not Path("/sys").is_dir():
        pytest.skip("no /sys on this system")
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    raw = raw_folder(tmp_path / "raw")
    out = where(tmp_path)
    before = tree(tmp_path)
    assert extract(raw, out) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"error: {out}: cannot write here" in line and message in line
    assert tree(tmp_path) == before and not out.exists()


def test_cli_names_the_files_it_does_not_read(tmp_path, capsys):
    raw = raw_folder(tmp_path / "raw", {"2017/a.txt": GOOD, "2017/b.md": "# b\n", "2018/c.docx": "PK",
                                        "2018/.DS_Store": "", ".git/config": ""})
    assert extract(raw, tmp_path / "out") == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"warning: {raw / name}: not read (only *.txt, *.html, *.htm and *.pdf files are)"
        for name in ("2017/b.md", "2018/c.docx")]
    assert captured.out.startswith("extracted 1 of 1 documents") and "; 2 files not read;" in captured.out


def test_output_folder_lock_lets_one_run_in(tmp_path):
    out = tmp_path / "output"
    with OutputFolder(out) as first:
        assert lock_path(out).read_text(encoding="ascii").strip() == str(os.getpid())
        with pytest.raises(OutputError, match=f"another run \\(pid {os.getpid()}\\) is writing into it"):
            with OutputFolder(out):
                pass
        first.write([], [])
    assert not lock_path(out).exists()
    with OutputFolder(out) as again:  # free again once the first run is done
        again.write([], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.previous", "output"]


OPTION_ERRORS = [
    (["extract", "--jobs", "-3"], "--jobs: must be a whole number of at least 0"),
    (["extract", "--jobs", "many"], "--jobs: must be a whole number"),
    (["extract", "--cache", "{file}"], "--cache"),
    (["extract", "--colour"], "unrecognized arguments: --colour"),
    (["eval", "--min-f1", "dates.value"], "is not TABLE.SCORE=VALUE"),
    (["eval", "--min-f1", "date.value=0.9"], "no score named 'date.value'"),
    (["eval", "--min-f1", "dates.value=1.5"], "a number from 0 to 1"),
    (["eval", "--min-f1", "dates.value=high"], "a number from 0 to 1"),
    (["eval", "--limit", "-1"], "--limit: must be a whole number of at least 0"),
    (["eval", "--output", "{tmp}", "--gold", "{tmp}", "--raw", "{tmp}/missing"], "raw folder not found"),
    (["bench", "--chars", "1e5"], "--chars: must be a whole number"),
    (["bench", "--repeat", "0"], "--repeat: must be a whole number of at least 1"),
    (["bench", "--jobs", "-1"], "--jobs: must be a whole number of at least 0"),
    (["report", "--output", "{tmp}/missing"], "no such output folder"),
    (["nosuchcommand"], "invalid choice: 'nosuchcommand'"),
]


@pytest.mark.parametrize(("argv", "message"), OPTION_ERRORS, ids=[" ".join(a) for a, _ in OPTION_ERRORS])
def test_cli_bad_option_is_one_line(tmp_path, capsys, no_work, argv, message):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    argv = [a.format(tmp=tmp_path, file=tmp_path / "file") for a in argv]
    assert main(argv) == 2
    assert message in one_error_line(capsys.readouterr().err)


def _rules_with(tmp_path: Path, name: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    shutil.copyfile(rules / "dates.yaml", rules / name)
    return rules


@pytest.mark.parametrize("name", ["dates_old.yaml", "dates.yaml.bak", "notes.txt"])
def test_rules_stray_file_is_a_warning(tmp_path, capsys, name):
    rules = _rules_with(tmp_path, name)
    assert extract(raw_folder(tmp_path / "raw"), tmp_path / "out", rules=rules) == 0
    assert capsys.readouterr().err.splitlines() == [f"warning: {rules / name}: not a rule file, ignored"]
    assert main(["check-rules", "--rules", str(rules), "--no-examples"]) == 0
    assert capsys.readouterr().err.splitlines() == [f"warning: {rules / name}: not a rule file, ignored"]


@pytest.mark.parametrize(("name", "meant"), [("date.yaml", "dates.yaml"), ("dates.yml", "dates.yaml"),
                                             ("clause.yaml", "clauses.yaml"), ("peple.yaml", "people.yaml")])
def test_rules_misspelled_rule_file_is_an_error(tmp_path, capsys, no_work, name, meant):
    rules = _rules_with(tmp_path, name)
    assert extract(raw_folder(tmp_path / "raw"), tmp_path / "out", rules=rules) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"error: {rules / name}: not a rule file: did you mean {meant}?" in line
    assert not (tmp_path / "out").exists()


def test_check_rules_runs_every_rule_example(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    assert main(["check-rules", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "are valid" in out and " rule examples and counter-examples behave" in out
    text = (rules / "headings.yaml").read_text(encoding="utf-8")
    at = text.index("counter_examples: [", text.index("- id: heading.part"))
    broken = text[:at] + 'counter_examples: ["第I部 総論", ' + text[at + len("counter_examples: ["):]
    assert broken != text
    (rules / "headings.yaml").write_text(broken, encoding="utf-8")
    assert main(["check-rules", "--rules", str(rules)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"error: {rules / 'headings.yaml'}:" in err[0] and "rule heading.part: counter-example '第I部 総論'" in err[0]
