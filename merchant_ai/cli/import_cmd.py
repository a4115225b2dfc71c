"""`merchant-ai import FILE... [--db PATH] [--format NAME] [--json]`: import shop exports.

With --json, one JSON object is printed with a report per file. The command is all or
nothing: every file is checked (exists, readable, known layout) before anything is written,
and if a file still fails while being imported, the files this command imported before it are
undone. Bad input: exit code 2, one line on stderr, the store's data unchanged.
"""

from __future__ import annotations

from merchant_ai.cli.common import add_db_option, add_json_option, db_path, print_json


def add_parser(sub) -> None:
    from merchant_ai.importers.formats import GENERIC_KEY, SPECS_BY_KEY
    from merchant_ai.importers.review_formats import SUPPORT_FORMATS

    parser = sub.add_parser(
        "import",
        help="import shop export files (Shopify, WooCommerce, Square, Etsy, "
        "Amazon, Online Retail, or a mapped spreadsheet), reviews exports and e-mail (.mbox, .eml, folders)",
    )
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="export file(s): CSV, TSV, TXT or XLSX; .mbox, .eml or a folder of them")
    parser.add_argument(
        "--format",
        choices=sorted(SPECS_BY_KEY) + [GENERIC_KEY] + SUPPORT_FORMATS,
        default=None,
        help="skip detection and read the file(s) as this format",
    )
    parser.add_argument(
        "--keep-personal-data",
        action="store_true",
        help="store emails and names as written (default: only salted hashes and initials)",
    )
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from merchant_ai.errors import MerchantError
    from merchant_ai.services.imports import check_importable, detect_file, import_file, undo_import
    from merchant_ai.store import open_store

    for name in args.files:  # before opening (or creating) the store
        detect_file(name)
    reports = []
    with open_store(db_path(args)) as store:
        for name in args.files:
            check_importable(store, name, format=args.format)
        try:
            for name in args.files:
                reports.append(import_file(store, name, format=args.format, privacy=not args.keep_personal_data))
        except MerchantError as exc:
            done = [r for r in reports if not r.already_imported]
            for report in reversed(done):
                undo_import(store, report.import_id)
            if done:
                exc.message = f"{exc.message} The {len(done)} file(s) imported before it were undone."
            raise
    if args.json:
        print_json({"db": str(store.path), "files": [_summary(r) for r in reports]})
    else:
        print("\n\n".join(r.to_text() for r in reports))
    return 0


def _summary(report) -> dict:
    """The per-file JSON the command prints: the report without its display-only fields."""
    data = report.to_dict()
    data.pop("finished_at", None)
    return data
