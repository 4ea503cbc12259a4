"""The ``sopimus`` command: build, check, new."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .version import __version__
from .console import Console

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 on wrong usage, as documented
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sopimus", description="Performance agreements from sources to signature-ready documents.")
    p.add_argument("--version", action="version", version=f"sopimus {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="render documents with a builder")
    b.add_argument("-b", "--builder", required=True,
                   help="json, pdf, docx, html, publish, report or gettext")
    b.add_argument("-l", "--language", action="append", dest="languages", metavar="LANG",
                   help="a language to build (repeatable; default: all of the project's)")
    b.add_argument("-j", "--jobs", default="auto", metavar="N",
                   help="parallel processes: a number, or 'auto' for one per core (the default)")
    b.add_argument("-E", "--fresh", action="store_true", help="ignore caches, read and build everything")
    b.add_argument("--strict", action="store_true", help="a missing translation is an error")
    b.add_argument("--allow-draft", action="store_true", help="publish: allow draft documents (marked)")
    b.add_argument("--period", help="report: the period, e.g. 2026-H1 (default: the newest outcome file)")
    _verbosity(b)
    b.add_argument("sourcedir", nargs="?", default="content")
    b.add_argument("outdir", nargs="?", default="build")

    c = sub.add_parser("check", help="check the sources and print every finding")
    _verbosity(c)
    c.add_argument("sourcedir", nargs="?", default="content")

    u = sub.add_parser("update-po", help="create or update the content translations "
                                         "(locales/<lang>/LC_MESSAGES/<document-id>.po)")
    u.add_argument("-l", "--language", action="append", dest="languages", metavar="LANG",
                   help="a target language (default: every language but the source language)")
    _verbosity(u)
    u.add_argument("sourcedir", nargs="?", default="content")

    n = sub.add_parser("new", help="write a small complete agreement to start from")
    _verbosity(n)
    n.add_argument("directory")
    return p


def _verbosity(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="count", default=0, help="print more")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(0 if args.quiet else 1 + args.verbose)
    try:
        return {"build": cmd_build, "check": cmd_check, "new": cmd_new,
                "update-po": cmd_update_po}[args.command](args, console)
    except KeyboardInterrupt:
        console.fatal("interrupted; outputs already in place are unchanged")
        return 130


def _read(sourcedir: str, console: Console, cache_dir: Path | None, jobs: int = 1):
    from .reader import read
    project, diags = read(Path(sourcedir), cache_dir, jobs)
    for d in diags.sorted():
        console.diagnostic(d)
    return project, diags


def cmd_check(args, console: Console) -> int:
    started = time.perf_counter()
    console.findings = console.out
    project, diags = _read(args.sourcedir, console, None)
    errors, warnings = len(diags.errors), len(diags.warnings)
    docs = len(project.documents) if project else 0
    console.info(f"checked {docs} document(s): {errors} error(s), {warnings} warning(s) "
                 f"in {time.perf_counter() - started:.2f} s")
    return EXIT_ERRORS if errors else EXIT_OK


def _jobs(text: str) -> int | None:
    if text == "auto":
        return os.cpu_count() or 1
    return int(text) if text.isdigit() and int(text) > 0 else None


def _run_key(args) -> tuple[str, str]:
    languages = ",".join(args.languages or ["*"])
    key = f"run/{languages}/{Path(args.sourcedir).resolve()}"
    return key, json.dumps([__version__, args.builder, languages, args.strict, args.allow_draft,
                            args.period or os.environ.get("PERIOD") or None,
                            os.environ.get("SOURCE_DATE_EPOCH", "")])


def cmd_build(args, console: Console) -> int:
    from .builders import REGISTRY, available
    from .incremental import OutputCache

    started = time.perf_counter()
    # sopimus's own builders first: scanning installed packages' entry points costs time.
    if args.builder not in REGISTRY and args.builder not in available():
        console.fatal(f"unknown builder {args.builder!r}; available: {', '.join(available())}")
        return EXIT_USAGE
    jobs = _jobs(args.jobs)
    if jobs is None:
        console.fatal(f"-j takes a positive number or 'auto', not {args.jobs!r}")
        return EXIT_USAGE
    outdir = Path(args.outdir)
    run_key, run_settings = _run_key(args)
    if not args.fresh:
        # The no-op path: nothing heavy is imported before we know there is work.
        kept = OutputCache(outdir, args.builder).fresh(run_key, run_settings)
        if kept is not None:
            for path in kept:
                console.debug(f"up to date: {path}")
            console.info(f"build succeeded: 0 output(s) written, {len(kept)} up to date, "
                         f"0 warning(s), 0 error(s) in {time.perf_counter() - started:.2f} s")
            return EXIT_OK

    from .diagnostics import BuildError
    from .pipeline import build
    from .builders.base import BuildOptions

    cache_dir = None if args.fresh else outdir / ".cache" / "read"
    project, diags = _read(args.sourcedir, console, cache_dir, jobs)
    if project is None or diags.errors:
        console.info(f"build failed: {len(diags.errors)} error(s), {len(diags.warnings)} warning(s); "
                     f"nothing written ({time.perf_counter() - started:.2f} s)")
        return EXIT_ERRORS

    def progress(builder: str, lang: str, doc_id: str, path: Path) -> None:
        if doc_id == "*":  # a file of the whole run (a site's index, shared assets)
            console.info(f"[{builder}] {path}")
        else:
            console.info(f"[{builder} {lang}] {doc_id} → {path}")

    options = BuildOptions(strict=args.strict, allow_draft=args.allow_draft,
                           period=args.period or os.environ.get("PERIOD") or None)
    try:
        result = build(project, args.builder, args.languages, outdir, options, progress,
                       jobs=jobs, fresh=args.fresh)
    except BuildError as exc:
        console.fatal(str(exc))
        return EXIT_ERRORS
    except OSError as exc:  # an output folder that cannot be written: the user's to fix
        console.fatal(f"cannot write the outputs: {exc.strerror or exc}: {exc.filename or outdir}")
        return EXIT_ERRORS
    for path in result.skipped:
        console.debug(f"up to date: {path}")
    for d in result.diagnostics:
        console.diagnostic(d)
    for (doc_id, lang), cov in sorted(result.coverage.items()):
        console.info(f"translation {lang} {doc_id}: {cov.percent:.0f} % translated "
                     f"({cov.translated}/{cov.total}), {cov.fuzzy} fuzzy, {cov.missing} missing")
    errors = len(diags.errors) + len(result.errors)
    warnings = len(diags.warnings) + len(result.diagnostics) - len(result.errors)
    if not errors and not warnings:
        _record_run(project, outdir, args.builder, run_key, run_settings, result)
    up_to_date = f", {len(result.skipped)} up to date" if result.skipped else ""
    console.info(f"build {'succeeded' if not errors else 'failed'}: {len(result.outputs)} output(s) written"
                 f"{'' if not errors else ' (nothing changed)'}{up_to_date}, "
                 f"{warnings} warning(s), {errors} error(s) in {time.perf_counter() - started:.2f} s")
    return EXIT_ERRORS if errors else EXIT_OK


def _record_run(project, outdir: Path, builder: str, key: str, settings: str, result) -> None:
    """Remember a clean run, so that repeating it unchanged costs only a few stat calls."""
    from .incremental import OutputCache
    from .pipeline import dependencies

    roots, files = dependencies(project)
    cache = OutputCache(outdir, builder)
    cache.record(key, settings, roots, files, result.outputs + result.skipped)
    cache.save()


def cmd_update_po(args, console: Console) -> int:
    from .fsutil import atomic_write
    from .i18n.catalogs import update_translation
    from .config import show_path
    from .i18n.content import catalog_path

    project, diags = _read(args.sourcedir, console, None)
    if project is None or diags.errors:
        return EXIT_ERRORS
    source = project.config.source_language
    languages = args.languages or [lang for lang in project.languages if lang != source]
    for lang in languages:
        if lang == source or lang not in project.languages:
            console.fatal(f"{lang!r} is not a translation language of this project")
            return EXIT_USAGE
        for doc in project.documents:
            path = catalog_path(project, doc.id, lang)
            data, stats = update_translation(doc, path, lang)
            atomic_write(path, data)
            console.info(f"{show_path(path)}: {stats['translated']}/{stats['total']} translated, "
                         f"{stats['fuzzy']} fuzzy, {stats['obsolete']} obsolete")
    return EXIT_OK


def cmd_new(args, console: Console) -> int:
    from .quickstart import QuickstartError, write_quickstart
    try:
        written = write_quickstart(Path(args.directory))
    except QuickstartError as exc:
        console.fatal(str(exc))
        return EXIT_ERRORS
    for path in written:
        console.debug(f"wrote {path}")
    console.info(f"wrote a new agreement in {args.directory}/content: "
                 f"try 'cd {args.directory} && sopimus check && sopimus build -b pdf'")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
