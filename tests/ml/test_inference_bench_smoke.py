"""bench/inference_bench.py still runs end to end (tiny smoke mode; not a measurement)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "inference_bench.py"


def test_inference_bench_smoke_prints_both_latencies_and_ratios():
    result = subprocess.run([sys.executable, str(BENCH), "--smoke"], capture_output=True, text=True,
                            timeout=240, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    for batch in ("batch_1", "batch_500"):
        assert payload[batch]["sklearn_ms"] > 0 and payload[batch]["onnxruntime_ms"] > 0
        assert payload[batch]["speedup"] == payload[batch]["sklearn_ms"] / payload[batch]["onnxruntime_ms"]
    assert payload["max_abs_diff_batch"] < 1e-3
    assert payload["threads"]["sklearn_openmp"] == [1]
