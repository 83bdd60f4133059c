#!/usr/bin/env python3
"""Self and inclusive shares of Java execution samples in a JFR recording.

usage: jfr_breakdown.py recording.jfr [top]
Uses `jfr print --events jdk.ExecutionSample` (JAVA_HOME/bin/jfr). Native code is not sampled
by jdk.ExecutionSample, so the shares are of Java-side samples only. Used for the profiles in
docs/performance.md ("Against the alternatives").
"""
import collections
import os
import re
import subprocess
import sys

def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "jfr")
    text = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          capture_output=True, text=True, check=True).stdout
    samples = []
    for block in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>/]+)\(.*?\)\s+line:", block, re.M)
        if frames:
            samples.append(frames)
    n = len(samples)
    self_count = collections.Counter(s[0] for s in samples)
    incl = collections.Counter()
    for s in samples:
        for m in set(s):
            incl[m] += 1
    print(f"{n} Java execution samples")
    print("\nself (top frame):")
    for m, c in self_count.most_common(top):
        print(f"  {100.0 * c / n:5.1f} %  {m}")
    print("\ninclusive (on the stack):")
    for m, c in incl.most_common(top * 2):
        print(f"  {100.0 * c / n:5.1f} %  {m}")

main()
