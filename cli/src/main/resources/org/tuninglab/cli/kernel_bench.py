"""Times a Jupyter kernel with Debian's jupyter_client; prints JSON.

Usage: JUPYTER_PATH=DIR python3 kernel_bench.py KERNEL_NAME STARTS CELLS
ready: seconds from start_kernel to a kernel_info reply, per start.
first: seconds from ready to the end of a first trivial cell (JShell finishes starting meanwhile), per start.
trivial: seconds from execute("1") to the idle status of that request, per cell, after a warm-up.
info: seconds for a kernel_info request and its reply (no JShell work: the shell loop's own latency).
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

name, starts, cells = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def round_trip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return time.perf_counter() - t0


ready, first, trivial, info = [], [], [], []
for i in range(starts):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    ready.append(time.perf_counter() - t0)
    first.append(round_trip(kc, "1"))
    if i == starts - 1:
        for _ in range(10):
            round_trip(kc, "1")
        trivial = [round_trip(kc, "1") for _ in range(cells)]
        for _ in range(cells):
            t1 = time.perf_counter()
            kc.kernel_info(reply=True, timeout=60)
            info.append(time.perf_counter() - t1)
    kc.stop_channels()
    km.shutdown_kernel(now=False)
print(json.dumps({"ready": ready, "first": first, "trivial": trivial, "info": info}))
