"""The ``sopimus`` command: build, check, serve, update-po, new."""
from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, NoReturn

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
                   help="json, pdf, docx, html, publish, report, redline or gettext")
    b.add_argument("-l", "--language", action="append", dest="languages", metavar="LANG",
                   help="a language to build (repeatable; default: all of the project's)")
    b.add_argument("-j", "--jobs", default="auto", metavar="N",
                   help="parallel processes: a number, or 'auto' for one per core (the default)")
    b.add_argument("-E", "--fresh", action="store_true", help="ignore caches, read and build everything")
    b.add_argument("--strict", action="store_true", help="a missing translation is an error")
    b.add_argument("--allow-draft", action="store_true", help="publish: allow draft documents (marked)")
    b.add_argument("--allow-unsigned", action="store_true",
                   help="publish: allow final documents without a signed copy (marked as unsigned)")
    b.add_argument("--period", help="report: the period, e.g. 2026-H1 (default: the newest outcome file)")
    b.add_argument("--against", metavar="REV|DIR",
                   help="redline: the old version, a git revision or tag of SOURCEDIR's repository or a folder")
    b.add_argument("--author", help="redline: the author of the tracked changes "
                                    "(default: redline.author in sopimus.yaml, else the organisation)")
    _verbosity(b)
    b.add_argument("sourcedir", nargs="?", default="content")
    b.add_argument("outdir", nargs="?", default="build")

    c = sub.add_parser("check", help="check the sources and the signed copies, print every finding")
    _trust(c)
    c.add_argument("--against", metavar="REV|DIR",
                   help="check the old version too (its findings are named REV:path)")
    _verbosity(c)
    c.add_argument("sourcedir", nargs="?", default="content")

    v = sub.add_parser("verify", help="verify a signed PDF against the sources it was built from")
    v.add_argument("file", help="the signed PDF, e.g. content/<document-id>/allekirjoitettu/fi.pdf")
    v.add_argument("-d", "--document", help="the document it is a copy of (default: from where the file is)")
    v.add_argument("-l", "--language", help="its language (default: from where the file is)")
    v.add_argument("-C", "--sourcedir", default="content", help="the sources (default: content)")
    _trust(v)
    _verbosity(v)

    u = sub.add_parser("update-po", help="create or update the content translations "
                                         "(locales/<lang>/LC_MESSAGES/<document-id>.po)")
    u.add_argument("-l", "--language", action="append", dest="languages", metavar="LANG",
                   help="a target language (default: every language but the source language)")
    _verbosity(u)
    u.add_argument("sourcedir", nargs="?", default="content")

    s = sub.add_parser("serve", help="a live preview while drafting: pages reload when the sources change")
    s.add_argument("-l", "--language", action="append", dest="languages", metavar="LANG",
                   help="a language to serve (repeatable; default: all of the project's)")
    s.add_argument("--port", type=int, default=None, metavar="N",
                   help="the port (default 8000; 0: any free port)")
    s.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                   help="the address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--poll", action="store_true",
                   help="watch the files by polling (network or container folders that send no events)")
    _verbosity(s)
    s.add_argument("sourcedir", nargs="?", default="content")

    n = sub.add_parser("new", help="write a small complete agreement to start from")
    _verbosity(n)
    n.add_argument("directory")
    return p


def _trust(p: argparse.ArgumentParser) -> None:
    p.add_argument("--trust", action="append", metavar="CERT", type=Path,
                   help="a trusted root certificate, PEM or DER (repeatable; default: signing.trust "
                        "of sopimus.yaml; none: integrity only)")


def _verbosity(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="count", default=0, help="print more")


def run() -> NoReturn:
    """The ``sopimus`` command: :func:`main`, then exit without unwinding the interpreter.

    When ``main()`` returns, every output is written, renamed into place and
    closed, and worker processes are gone; tearing down the modules and
    objects of a build (lxml trees, fonts, docutils) would cost ~0.09 s of
    a 0.9 s build.  The exit handlers still run and the output is flushed.
    An exception is not caught here: it ends the process the usual way.
    """
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`sopimus … | head`)
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(0 if args.quiet else 1 + args.verbose)
    try:
        return {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve,
                "update-po": cmd_update_po, "verify": cmd_verify}[args.command](args, console)
    except KeyboardInterrupt:
        console.fatal("interrupted; outputs already in place are unchanged")
        return 130


def _read(sourcedir: str, console: Console, cache_dir: Path | None, jobs: int = 1,
          meanwhile: Callable[[], None] | None = None):
    from .reader import read
    project, diags = read(Path(sourcedir), cache_dir, jobs, meanwhile=meanwhile)
    for d in diags.sorted():
        console.diagnostic(d)
    return project, diags


def cmd_check(args, console: Console) -> int:
    started = time.perf_counter()
    console.findings = console.out
    project, diags = _read(args.sourcedir, console, None)
    if project is not None:
        from .inputs import check_inputs
        more = check_inputs(project)  # catalogs and the theme: what a build reads beyond the sources
        for d in more:
            console.diagnostic(d)
        diags.extend(more)
    errors, warnings = len(diags.errors), len(diags.warnings)
    if args.against:
        old = _open_against(args.against, args.sourcedir, console)
        if old is None:
            return EXIT_ERRORS
        with old:
            errors += len(old.errors)
            warnings += len(old.diagnostics) - len(old.errors)
    docs = len(project.documents) if project else 0
    copies = ""
    if project is not None and not errors:
        from .inputs import check_signed_copies
        signed, verified = check_signed_copies(project, args.trust)
        for d in signed:
            console.diagnostic(d)
        errors += sum(d.is_error for d in signed)
        warnings += sum(not d.is_error for d in signed)
        if signed or verified:
            copies = f" and {verified} signed copy(ies)"
    console.info(f"checked {docs} document(s){copies}: {errors} error(s), {warnings} warning(s) "
                 f"in {time.perf_counter() - started:.2f} s")
    return EXIT_ERRORS if errors else EXIT_OK


def cmd_verify(args, console: Console) -> int:
    """Verify one signed PDF: its signatures and, where the sources are known, its first revision."""
    from .config import show_path
    from .diagnostics import Diagnostic
    from .signing import expected_for, identify
    from .signing.verify import verify

    console.findings = console.out
    path = Path(args.file)
    shown = show_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        console.diagnostic(Diagnostic(shown, 1, 1, "error", "signed-unreadable",
                                      f"cannot read the file ({exc.strerror})"))
        return EXIT_ERRORS
    project, diags = None, None
    if (Path(args.sourcedir) / "sopimus.yaml").is_file():
        project, diags = _read(args.sourcedir, console, None)
        if diags.errors:
            console.info("the sources have errors: the signed copy cannot be compared with them")
            return EXIT_ERRORS
    target = None
    if project is not None:
        target = identify(project, path)
        if args.document or args.language:
            doc_id = args.document or (target[0] if target else None)
            lang = args.language or (target[1] if target else None)
            if doc_id not in project.metadata or lang not in project.languages:
                console.fatal(f"no document {doc_id!r} in language {lang!r} in {args.sourcedir}")
                return EXIT_USAGE
            target = (doc_id, lang)
    roots = args.trust or (list(project.config.signing.trust) if project is not None else [])
    expected = expected_for(project, *target) if target else None
    result = verify(data, shown, expected, roots)
    if expected is None:
        result.warning("signed-not-compared", "not compared with any sources: only the signatures were verified",
                       "name the document and language with -d and -l, or keep the file in "
                       "content/<document-id>/allekirjoitettu/<lang>.pdf")
    for d in sorted(result.findings):
        console.diagnostic(d)
    _print_verification(result, target, console)
    return EXIT_OK if result.ok else EXIT_ERRORS


def _print_verification(result, target, console: Console) -> None:
    if target:
        console.info(f"{result.path}: {target[0]} ({target[1]})")
    if result.built_at:
        console.info(f"  built on {result.built_at:%Y-%m-%d %H:%M:%S} UTC (as its first revision records)")
    if result.unsigned_sha256:
        console.info(f"  unsigned build: sha256 {result.unsigned_sha256}")
    for s in result.signers:
        when = f"{s.signed_at.astimezone(__import__('datetime').timezone.utc):%Y-%m-%d %H:%M:%S} UTC" \
            if s.signed_at else "no signing time"
        console.info(f"  {s.field}: {s.signatory or '?'} — signed by {s.subject}, {when}")
    if result.chain:
        console.info("  chain as carried: " + " ← ".join(result.chain))
    console.info(f"  trust: {result.trust}" + ("" if result.trust != "integrity only"
                                              else " (no trust roots given: --trust or signing.trust)"))
    console.info(f"  {'verified' if result.ok else 'NOT verified'}: "
                 f"{len([d for d in result.findings if d.is_error])} error(s), "
                 f"{len([d for d in result.findings if not d.is_error])} warning(s)")


def _open_against(against: str, sourcedir: str, console: Console):
    """The old version (a git revision or a folder), its findings printed; None when it cannot be read."""
    from .versions.checkout import VersionError, open_version
    try:
        old = open_version(against, Path(sourcedir))
    except VersionError as exc:
        console.fatal(str(exc))
        return None
    for d in old.diagnostics:
        console.diagnostic(d)
    return old


def _jobs(text: str) -> int | None:
    if text == "auto":
        return os.cpu_count() or 1
    return int(text) if text.isdigit() and int(text) > 0 else None


def _run_key(args) -> tuple[str, str]:
    languages = ",".join(args.languages or ["*"])
    key = f"run/{languages}/{Path(args.sourcedir).resolve()}"
    return key, json.dumps([__version__, args.builder, languages, args.strict, args.allow_draft, args.allow_unsigned,
                            args.period or os.environ.get("PERIOD") or None,
                            os.environ.get("SOURCE_DATE_EPOCH", "")])


def _meanwhile(builder: str, sourcedir: str, languages: list[str] | None) -> Callable[[], None]:
    """What this process does while worker processes read the sources: import the builder
    and what it renders with, and read the label catalogs; the render workers inherit both."""
    def run() -> None:
        from .builders import get
        from .i18n import labels
        from .i18n.content import locales_beside
        from .resources import BUILTIN_LOCALES
        get(builder).preload()
        for lang in languages or sorted(p.name for p in BUILTIN_LOCALES.iterdir() if p.is_dir()):
            labels(lang, [locales_beside(Path(sourcedir))])
    return run


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
    if (args.builder == "redline") != bool(args.against):
        console.fatal("the redline builder needs --against REV|DIR (a git revision or a folder)"
                      if args.builder == "redline" else "--against is an option of the redline builder")
        return EXIT_USAGE
    if args.author and not args.against:
        console.fatal("--author is an option of the redline builder")
        return EXIT_USAGE
    outdir = Path(args.outdir)
    run_key, run_settings = _run_key(args)
    if not args.fresh and not args.against:  # a revision's name says nothing of its contents: always compare
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
    project, diags = _read(args.sourcedir, console, cache_dir, jobs,
                           meanwhile=_meanwhile(args.builder, args.sourcedir, args.languages))
    if project is None or diags.errors:
        console.info(f"build failed: {len(diags.errors)} error(s), {len(diags.warnings)} warning(s); "
                     f"nothing written ({time.perf_counter() - started:.2f} s)")
        return EXIT_ERRORS

    def progress(builder: str, lang: str, doc_id: str, path: Path) -> None:
        if doc_id == "*":  # a file of the whole run (a site's index, shared assets)
            console.info(f"[{builder}] {path}")
        else:
            console.info(f"[{builder} {lang}] {doc_id} → {path}")

    options = BuildOptions(strict=args.strict, allow_draft=args.allow_draft, allow_unsigned=args.allow_unsigned,
                           period=args.period or os.environ.get("PERIOD") or None)
    old = None
    if args.against:
        old = _open_against(args.against, args.sourcedir, console)
        if old is None:
            return EXIT_ERRORS
        if old.project is None or old.errors:
            old.close()
            console.info(f"build failed: the old version {args.against} has {len(old.errors)} error(s); "
                         f"nothing written ({time.perf_counter() - started:.2f} s)")
            return EXIT_ERRORS
        options.against, options.author = old, args.author
    try:
        result = build(project, args.builder, args.languages, outdir, options, progress,
                       jobs=jobs, fresh=args.fresh)
    except BuildError as exc:
        console.fatal(str(exc))
        return EXIT_ERRORS
    except OSError as exc:  # an output folder that cannot be written: the user's to fix
        console.fatal(f"cannot write the outputs: {exc.strerror or exc}: {exc.filename or outdir}")
        return EXIT_ERRORS
    finally:
        if old is not None:
            old.close()
    for path in result.skipped:
        console.debug(f"up to date: {path}")
    for d in result.diagnostics:
        console.diagnostic(d)
    for (doc_id, lang), cov in sorted(result.coverage.items()):
        console.info(f"translation {lang} {doc_id}: {cov.percent:.0f} % translated "
                     f"({cov.translated}/{cov.total}), {cov.fuzzy} fuzzy, {cov.missing} missing")
    errors = len(diags.errors) + len(result.errors)
    warnings = len(diags.warnings) + len(result.diagnostics) - len(result.errors)
    if not errors and not warnings and not args.against:
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
    cache.record(key, settings, roots, files, result.outputs + result.skipped, as_read=project.as_read)
    cache.save()


def cmd_update_po(args, console: Console) -> int:
    from .fsutil import atomic_write
    from .i18n.catalogs import update_translation
    from .config import show_path
    from .diagnostics import Diagnostics
    from .i18n.content import catalog_path, locale_dir, read_content_catalog
    from .paths import inside_folder

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
            found = Diagnostics()
            read_content_catalog(project, path, found)  # a catalog update-po cannot read is a finding
            if not found.errors and not inside_folder(path, locale_dir(project)):  # a new catalog, too
                found.error("path-outside", show_path(path), 1,
                            "the catalog would be written outside the project's locales/ folder",
                            "locales/ and the folders in it are not symlinks out of the project")
            if found.errors:
                for d in found.sorted():
                    console.diagnostic(d)
                return EXIT_ERRORS
            data, stats = update_translation(doc, path, lang)
            try:
                atomic_write(path, data, outdir=locale_dir(project))
            except OSError as exc:
                console.fatal(f"{show_path(path)}: cannot write the catalog: {exc.strerror or exc}")
                return EXIT_ERRORS
            console.info(f"{show_path(path)}: {stats['translated']}/{stats['total']} translated, "
                         f"{stats['fuzzy']} fuzzy, {stats['obsolete']} obsolete")
    return EXIT_OK


def cmd_serve(args, console: Console) -> int:
    from .serve import DEFAULT_PORT, serve
    port = DEFAULT_PORT if args.port is None else args.port
    if not 0 <= port <= 65535:
        console.fatal(f"--port takes a number from 0 to 65535, not {port}")
        return EXIT_USAGE
    return serve(Path(args.sourcedir), args.languages, args.bind, port, console, poll=args.poll)


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
