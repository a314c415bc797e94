"""bench/bench_chat.py, tiny: a server process, sockets opened with tokens, messages fanned
out to all of them, and the loss check finds nothing lost."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_bench_chat_runs_and_loses_nothing(capsys):
    sys.path.insert(0, str(BENCH))
    try:
        import bench_chat

        args = ["--layers", "memory", "--clients", "20", "--messages", "3"]
        assert (
            bench_chat.main([*args, "--burst-seconds", "1", "--settle", "0.2", "--port", "8791"])
            == 0
        )
    finally:
        sys.path.remove(str(BENCH))
    out = capsys.readouterr().out
    assert "[memory] 20 sockets open and ready" in out
    assert "0 pushes missed on 0 sockets, 0 messages lost after sync" in out
    assert "| memory |" in out
