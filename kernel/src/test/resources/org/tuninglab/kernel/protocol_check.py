"""Drives the Java kernel with Debian's jupyter_client and prints what it saw as one JSON object.

Usage: JUPYTER_PATH=DIR python3 protocol_check.py KERNEL_NAME
The Java test (ProtocolTest) asserts on the JSON; this script only records.
"""
import json
import os
import signal
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

NAME = sys.argv[1]
out = {}


def run(kc, code, timeout=60):
    """Executes code; returns the reply content and the iopub messages of that request."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    msgs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        msgs.append({"type": msg["msg_type"], "content": msg["content"]})
    return {"reply": reply["content"], "iopub": msgs}


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


start = time.time()
km = KernelManager(kernel_name=NAME)
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
out["ready_seconds"] = time.time() - start
pid = km.provisioner.process.pid

kc.kernel_info()
info = kc.get_shell_msg(timeout=30)
out["kernel_info"] = info["content"]

out["value"] = run(kc, "1 + 1")
out["streams"] = run(kc, 'System.out.println("hello"); System.err.println("oops");')
out["declaration"] = run(kc, "int answer = 42;")
out["compile_error"] = run(kc, 'int x = 1;\nint y = "s";')
out["runtime_error"] = run(kc, 'void boom() { throw new IllegalStateException("bad"); }\nboom();')
out["checked_error"] = run(kc, 'throw new java.io.IOException("disk");')
out["after_errors"] = run(kc, "answer * 2")
out["display"] = run(kc, 'String id = display("first");\nupdateDisplay(id, "second");\nid')
out["time_magic"] = run(kc, "%%time\nint z = 3;\nz * 2")
out["maven_bad"] = run(kc, "%maven not-coordinates")

# A flood of output: joined into few messages, capped, and the cell still ends with its status.
t0 = time.time()
out["flood"] = run(kc, 'for (int i = 0; i < 1_000_000; i++) System.out.println("line " + i);', timeout=300)
out["flood"]["seconds"] = time.time() - t0
out["after_flood"] = run(kc, "6 * 7")

out["exit"] = run(kc, "System.exit(3);")
out["after_exit"] = run(kc, "answer + 1")
out["oom"] = run(kc, "long[] huge = new long[400_000_000];")
out["after_oom"] = run(kc, "answer + 2")
out["time_line"] = run(kc, "%time 6 * 7")
out["maven_missing"] = run(kc, "%maven --offline org.tuninglab.absent:nothing:0.0.1")
out["maven_missing_verbose"] = run(kc, "%maven --offline --verbose org.tuninglab.absent:nothing:0.0.1")
# A later cell's wildcard import, written as notebooks write it (a comment, blank lines), must
# leave the variables of earlier cells as they were.
out["import_keep_define"] = run(kc, 'var kept = new StringBuilder("kept");\nvar derived = kept.length() + 1;')
out["import_later"] = run(kc, "// the concurrency classes\nimport java.util.concurrent.*;\n\nimport java.util.*;\n")
out["import_kept"] = run(kc, 'kept + " " + derived + " " + new ConcurrentHashMap<String, Integer>().size()')
out["int_array"] = run(kc, "new int[]{1, 2, 3}")
out["double_array"] = run(kc, "new double[]{0.18181818181818182, 2.0, 1e-9}")
out["double_list"] = run(kc, "List.of(6.986488695886317, 0.5)")
out["long_array"] = run(kc, "java.util.stream.LongStream.range(0, 1000).toArray()")

# Fixtures made by the Java test: jars holding marker resources, a script for %load.
fixtures = os.environ["PROTOCOL_FIXTURES"]
has = 'Thread.currentThread().getContextClassLoader().getResource("{}") != null'
out["startup"] = run(kc, "fromStartup")
out["env_classpath"] = run(kc, has.format("env-marker.txt"))
out["classpath_magic"] = run(kc, f"%classpath {fixtures}/magic/*.jar\n" + has.format("magic-marker.txt"))
out["load"] = run(kc, f"%load {fixtures}/script.jshell")
out["after_load"] = run(kc, "loaded * 2")

code = 'int k = 1;\n"abc".toUpp'
kc.complete(code, len(code))
out["complete"] = kc.get_shell_msg(timeout=30)["content"]
kc.is_complete("for (int i = 0; i < 3; i++) {")
out["incomplete"] = kc.get_shell_msg(timeout=30)["content"]
kc.is_complete("1 + 1")
out["complete_code"] = kc.get_shell_msg(timeout=30)["content"]
kc.inspect("Math.max(", len("Math.max("))
out["inspect"] = kc.get_shell_msg(timeout=30)["content"]
# Shift-Tab with the cursor on a method name, no parenthesis yet; detail 1 is the full Javadoc.
kc.inspect("Math.max", len("Math.ma"), detail_level=1)
out["inspect_name"] = kc.get_shell_msg(timeout=30)["content"]
kc.inspect('"abc".toUpperCase()', len('"abc".toUpp'))
out["inspect_member"] = kc.get_shell_msg(timeout=30)["content"]

# A busy loop that ignores Thread.interrupt: the kernel must stop it and survive.
msg_id = kc.execute("long n = 0; while (true) { n++; }")
time.sleep(1.5)
t0 = time.time()
reply = None
for _ in range(30):
    # Repeated: an interrupt that lands before the cell starts is ignored, as between cells.
    km.interrupt_kernel()
    try:
        reply = kc.get_shell_msg(timeout=1)
    except Exception:
        continue
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    break
out["interrupt"] = {"reply": reply["content"], "seconds": time.time() - t0}
out["after_interrupt"] = run(kc, "7 * 6")

# Round trips of a trivial cell.
times = []
for _ in range(10):
    t0 = time.time()
    run(kc, "1")
    times.append(time.time() - t0)
out["trivial_seconds"] = sorted(times)

kc.stop_channels()
t0 = time.time()
km.shutdown_kernel(now=False)
out["shutdown"] = {"exited": wait_gone(pid, 10), "seconds": time.time() - t0}

# Client death: a client process that launched a kernel is SIGKILLed; its kernel must go too.
child = subprocess.Popen(
    [sys.executable, "-c",
     "import sys, time\n"
     "from jupyter_client.manager import KernelManager\n"
     f"km = KernelManager(kernel_name={NAME!r}); km.start_kernel()\n"
     "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
     "print(km.provisioner.process.pid, flush=True)\n"
     "time.sleep(600)\n"],
    stdout=subprocess.PIPE, text=True)
orphan = int(child.stdout.readline())
os.kill(child.pid, signal.SIGKILL)
child.wait()
t0 = time.time()
out["client_death"] = {"exited": wait_gone(orphan, 15), "seconds": time.time() - t0}
if alive(orphan):
    os.kill(orphan, signal.SIGKILL)

# Drop the clients while logging still works (their __del__ logs at interpreter exit).
del kc, km
print(json.dumps(out))
