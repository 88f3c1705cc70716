#!/usr/bin/env python3
"""Hot methods of one JFR recording, for deploy/bench/profile.

Reads `jfr print --json --events jdk.ExecutionSample` output and prints two tables: self (the
method on top of a sampled stack) and total (the method anywhere in the stack, counted once per
sample), each as a share of all samples. Also the share of samples per thread group (event loop,
worker pool, others), which tells blocking hops from work on the event loop.
"""
import collections
import json
import re
import sys


def method_name(frame):
    method = frame.get("method") or {}
    owner = ((method.get("type") or {}).get("name") or "?").replace("/", ".")
    return owner + "." + (method.get("name") or "?")


def thread_group(name):
    if "eventloop" in name:
        return "vert.x event loop"
    if "executor-thread" in name or "worker" in name:
        return "worker pool"
    if "kafka" in name.lower():
        return "kafka"
    return re.sub(r"[-#]?\d+$", "", name) or "?"


def main():
    process, path, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path) as f:
        events = json.load(f)["recording"]["events"]
    self_counts = collections.Counter()
    total_counts = collections.Counter()
    threads = collections.Counter()
    for event in events:
        values = event["values"]
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        threads[thread_group(thread)] += 1
        names = [method_name(f) for f in frames]
        self_counts[names[0]] += 1
        for name in set(names):
            total_counts[name] += 1
    samples = sum(self_counts.values())
    print(f"\n== {process}: {samples} execution samples")
    if not samples:
        return
    print("threads: " + ", ".join(f"{g} {100.0 * n / samples:.0f}%" for g, n in threads.most_common(6)))
    for title, counts in (("self", self_counts), ("total", total_counts)):
        print(f"-- top {top} by {title} time")
        for name, n in counts.most_common(top):
            print(f"{100.0 * n / samples:6.1f}%  {n:6d}  {name}")


if __name__ == "__main__":
    main()
