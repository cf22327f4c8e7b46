"""Run every benchmark in bench/ (each `*.py` not starting with `_` and not this file), one
after the other, each with its own defaults, and fail if any of them misses its targets.
To change a benchmark's settings, run it directly (see bench/README.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py")
                  if not p.name.startswith("_") and p.name != Path(__file__).name)


def main() -> int:
    failed = []
    for script in benchmarks():
        print(f"\n### {script.name}", flush=True)
        if subprocess.call([sys.executable, str(script)]) != 0:
            failed.append(script.name)
    print(f"\n{len(benchmarks()) - len(failed)} passed, {len(failed)} missed their targets"
          + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
