"""Cold-process timings of the CLI: `sinorus-kg query NAME` (target < 1 s), a query given a person's
name, `search`, and `build` (< 20 s).

Prints medians over several runs. Run with `make bench` or `python benchmarks/bench_cli.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "sinorus-kg"


def median_seconds(cmd: list[str], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "relations-established"
    print(f"{'command':<52} {'median':>8}  runs")
    for engine in ("oxigraph", "rdflib"):
        cmd = [str(BIN), "query", name, "--engine", engine]
        med, times = median_seconds(cmd, 9)
        print(f"{' '.join(['sinorus-kg', *cmd[1:]]):<52} {med:7.3f}s  {len(times)}")
    for args in (["query", "events-of-person", "--param", "person=Sergey Lavrov"], ["search", "lavrov"]):
        med, times = median_seconds([str(BIN), *args], 9)  # a name resolved to its identifier; the search
        print(f"{' '.join(['sinorus-kg', *args]):<52} {med:7.3f}s  {len(times)}")
    with tempfile.TemporaryDirectory() as out:
        med, times = median_seconds([str(BIN), "build", "--out", out], 3)
        print(f"{'sinorus-kg build --out TMP':<52} {med:7.3f}s  {len(times)}")


if __name__ == "__main__":
    main()
