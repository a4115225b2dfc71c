"""`merchant-ai models [--json]`: the shipped models, their versions and what runs them."""

from __future__ import annotations

from merchant_ai.cli.common import add_db_option, add_json_option, db_path, print_json


def add_parser(sub) -> None:
    parser = sub.add_parser("models", help="models, versions, providers")
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(run=run)


def _apply_saved_provider_setting(args) -> None:
    """Use the Auto / CPU only choice saved in the store, when there is a store."""
    from merchant_ai.ml.providers import use_store_preference
    from merchant_ai.store import open_store
    from merchant_ai.store.paths import default_db_path

    path = db_path(args) or default_db_path()
    if path.is_file():
        with open_store(path, create=False) as store:
            use_store_preference(store)


def run(args) -> int:
    from merchant_ai.ml.registry import default_models_dir, list_models

    _apply_saved_provider_setting(args)
    rows = list_models()
    if args.json:
        print_json({"models_dir": str(default_models_dir()), "models": rows})
        return 0
    if not rows:
        print(f"No models found in {default_models_dir()}.")
    for row in rows:
        provider = row["provider_used"] or "not loaded"
        print(f"{row['name']} {row['version'] or '?'}  [{row['status']}]  runs on {provider} "
              f"(setting: {row['provider_preference']})")
        print(f"    {row['file']}  sha256 {row['sha256'] or '-'}")
        for note in row["notes"]:
            print(f"    note: {note}")
    return 0
