# Python's subprocess with a readline loop over `cat <file>`. Prints lines/s.
import subprocess
import sys
import time

start = time.perf_counter()
child = subprocess.Popen(["cat", sys.argv[1]], stdout=subprocess.PIPE)
lines = 0
while True:
    line = child.stdout.readline()
    if not line:
        break
    lines += 1
if child.wait() != 0:
    sys.exit(1)
print(f"{lines / (time.perf_counter() - start):.1f}")
