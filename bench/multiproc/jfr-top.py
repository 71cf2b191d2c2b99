#!/usr/bin/env python3
"""Summarise a JFR recording's CPU samples: the methods most often on top of the stack (self time) and most often
anywhere in it (inclusive), from `jfr print --stack-depth 256 --events jdk.ExecutionSample FILE` (jfr print shows 5 frames by default). Usage: jfr-top.py FILE.jfr [N=25]
[THREAD_SUBSTRING]
Record with -XX:StartFlightRecording=filename=F.jfr,settings=profile,dumponexit=true and, for inclusive counts that
reach the thread's root, -XX:FlightRecorderOptions=stackdepth=256 (JFR keeps 64 frames from the top by default)."""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
only = sys.argv[3] if len(sys.argv) > 3 else None
text = subprocess.run(["jfr", "print", "--stack-depth", "256", "--events", "jdk.ExecutionSample", path], capture_output=True, text=True,
                      check=True).stdout
LIBRARIES = [("com.fasterxml.jackson.", "Jackson"), ("org.apache.kafka.streams.", "Kafka Streams"),
             ("org.apache.kafka.", "Kafka clients"), ("org.rocksdb.", "RocksDB"), ("io.auditrail.", "auditrail"),
             ("java.time.", "java.time"), ("io.micrometer.", "metrics"), ("io.prometheus.", "metrics"),
             ("java.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK")]
library = lambda frame: next((name for prefix, name in LIBRARIES if frame.startswith(prefix)), "other")
self_count, incl_count, threads = collections.Counter(), collections.Counter(), collections.Counter()
by_library = collections.Counter()
total = 0
for event in text.split("jdk.ExecutionSample {")[1:]:
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    thread = thread.group(1) if thread else "?"
    if only and only not in thread:
        continue
    frames = [re.sub(r"\s+line:.*$", "", f.strip()) for f in
              event.split("stackTrace = [", 1)[-1].split("]", 1)[0].strip().splitlines() if f.strip()]
    frames = [f for f in frames if f != "..."]
    if not frames:
        continue
    total += 1
    threads[re.sub(r"[-0-9]+$", "", thread)] += 1
    self_count[frames[0]] += 1
    by_library[library(frames[0])] += 1
    for f in set(frames):
        incl_count[f] += 1
print(f"{total} samples" + (f" on threads matching '{only}'" if only else ""))
print("\n| thread (numbers stripped) | samples | share |\n|---|---|---|")
for t, c in threads.most_common(12):
    print(f"| {t} | {c} | {100 * c / total:.1f}% |")
print("\n| library of the frame on top of the stack | samples | share |\n|---|---|---|")
for lib, c in by_library.most_common():
    print(f"| {lib} | {c} | {100 * c / total:.1f}% |")
for title, counter in (("self (top of stack)", self_count), ("inclusive (anywhere in the stack)", incl_count)):
    print(f"\n| method, {title} | samples | share |\n|---|---|---|")
    for f, c in counter.most_common(n):
        print(f"| `{f}` | {c} | {100 * c / total:.1f}% |")
