"""`python -m merchant_ai.training build [--only NAME] [--out DIR] [--seed N]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from merchant_ai.training.catalog import DEFAULT_OUT_DIR, MODELS, build_models
from merchant_ai.training.model_cards import write_models_readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m merchant_ai.training")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="train, export to ONNX, check parity, write cards")
    build.add_argument("--only", action="append", metavar="NAME", choices=sorted(MODELS),
                       help="build only this model (repeatable)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: models/)")
    build.add_argument("--seed", type=int, default=0)
    sub.add_parser("list", help="the models the build knows")
    args = parser.parse_args(argv)
    if args.command == "list":
        print("\n".join(f"{name}: {module}" for name, module in MODELS.items()))
        return 0
    started = time.perf_counter()
    results = build_models(args.only, out_dir=args.out, seed=args.seed)
    write_models_readme(args.out)
    print(json.dumps({"built": results, "out_dir": str(args.out),
                      "seconds": round(time.perf_counter() - started, 1)}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
