"""A short, fixed-seed run of the fuzzer of ``bench/fuzz.py``: no input may crash apidiff or hang it.

The run is deterministic (a fixed seed and a fixed number of cases; only the per-run time limit depends on the
machine) and takes about a minute on two cores. On a failure the message lists every distinct failure with its
command and the last lines of its traceback; replay one with ``python bench/fuzz.py --seed SEED --case I -v``,
or keep its files with ``--save-failures DIR``.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from types import ModuleType

from tests.conftest import ROOT

SEED = 20260101
CASES = 350
# generous limits (the benchmark's default is 2 s + 1 s per MB): a busy CI machine must not turn a run that is
# merely slow into a failure; hangs and gross slowness still fail
TIME_LIMIT, TIME_PER_MB, HANG_FACTOR = 10.0, 10.0, 3.0


def _fuzzer() -> ModuleType:
    name = "apidiff_bench_fuzz"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_fuzzed_inputs_never_crash_or_hang() -> None:
    fuzz = _fuzzer()
    out = io.StringIO()
    summary = fuzz.fuzz(fuzz.Options(seed=SEED, runs=CASES, time_limit=TIME_LIMIT, time_per_mb=TIME_PER_MB,
                                          hang_factor=HANG_FACTOR, memory_limit_gb=None), out=out)
    assert summary.cases == CASES
    assert summary.failures == 0, summary.report()
