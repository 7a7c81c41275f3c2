#!/usr/bin/env python3
"""Cold start over stdio: from spawning each server to the first line it writes, its answer to
`initialize`, timed here (no driver process of its own in the measurement). The servers run in
turns, ROUNDS rounds, so the machine's drift falls on all of them alike; prints one line per
server: `binary<TAB>median ms<TAB>p10 ms`.

    cold-start.py [--rounds N] BINARY...
"""

import argparse
import statistics
import subprocess
import time

INITIALIZE = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",'
    b'"capabilities":{},"clientInfo":{"name":"cold-start","version":"0"}}}\n'
)


def once(binary):
    started = time.perf_counter()
    server = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    server.stdin.write(INITIALIZE)
    server.stdin.flush()
    answer = server.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    server.kill()
    server.wait()
    if b'"result"' not in answer:
        raise SystemExit(f"{binary}: no initialize result: {answer[:200]!r}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("binaries", nargs="+")
    arguments = parser.parse_args()
    for binary in arguments.binaries:  # warm the page cache
        once(binary)
    samples = {binary: [] for binary in arguments.binaries}
    for _ in range(arguments.rounds):
        for binary in arguments.binaries:
            samples[binary].append(once(binary))
    for binary, times in samples.items():
        times.sort()
        print(f"{binary}\t{statistics.median(times):.2f}\t{times[len(times) // 10]:.2f}")


if __name__ == "__main__":
    main()
