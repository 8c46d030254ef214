/**
 * The Python side of ./python.ts: a small kernel loop run as `python3 -I -B -c KERNEL_SOURCE CONFIG`.
 * Kept as a string so the engine needs no file beside its bundle (it also runs inside the Next.js
 * standalone build).
 *
 * Protocol, both ways: frames of a 4-byte big-endian length and UTF-8 JSON. Requests arrive on the
 * process's stdin, answers leave on its stdout; both are moved to private descriptors at start, so
 * fd 0 is /dev/null and fd 1 and 2 are one pipe that a reader thread forwards as `out` frames. That
 * keeps stdout and stderr interleaved as written, by Python code, C libraries and child processes
 * alike.
 *
 * Frames out: {t:"ready", version} once; {t:"out", d} per chunk of output; {t:"done", id, error,
 * images, files, notes} per execution.
 */
export const KERNEL_SOURCE = String.raw`
import base64, builtins, codecs, errno, io, json, linecache, os, resource, signal, stat, struct, sys
import threading, traceback, types
import importlib.machinery

CFG = json.loads(sys.argv[1])
sys.argv = [""]
DATA = CFG["dataDir"]
KPID = os.getpid()

# Nothing but stdio may reach the code from outside (bwrap passes inherited descriptors through).
os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
REQ = os.dup(0)
RESP = os.dup(1)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
OUT_R, _out_w = os.pipe()
os.dup2(_out_w, 1)
os.dup2(_out_w, 2)
os.close(_out_w)
sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
STDOUT = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace", write_through=True)
STDERR = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", write_through=True)
sys.stdout, sys.stderr = STDOUT, STDERR

# A forked child of user code must never speak the protocol.
def _in_child():
    for fd in (REQ, RESP, OUT_R):
        try:
            os.close(fd)
        except OSError:
            pass
os.register_at_fork(after_in_child=_in_child)

SEND_LOCK = threading.Lock()

def send(obj):
    data = json.dumps(obj).encode("utf-8")
    frame = struct.pack(">I", len(data)) + data
    with SEND_LOCK:
        view = memoryview(frame)
        while view:
            n = os.write(RESP, view)
            view = view[n:]

def read_exact(n):
    chunks = []
    while n > 0:
        chunk = os.read(REQ, n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)

# Output: bounded per execution; what is past the limit is counted, not sent.
MARKER = b"\x00\x1e" + os.urandom(12).hex().encode() + b"\x1e\x00"
OUT = {"limit": int(CFG["maxOutputBytes"]), "seen": 0, "truncated": False}
OUT_DONE = threading.Event()
DECODER = codecs.getincrementaldecoder("utf-8")("replace")

def emit(data, final=False):
    if data:
        room = OUT["limit"] - OUT["seen"]
        if len(data) > room:
            OUT["truncated"] = True
            data = data[:max(room, 0)]
        OUT["seen"] += len(data)
    text = DECODER.decode(data, final)
    if text:
        send({"t": "out", "d": text})

def held_back(buf):
    for k in range(min(len(MARKER) - 1, len(buf)), 0, -1):
        if MARKER.startswith(buf[-k:]):
            return k
    return 0

def reader():
    buf = b""
    while True:
        try:
            chunk = os.read(OUT_R, 65536)
        except OSError:
            return
        if not chunk:
            return
        buf += chunk
        while True:
            i = buf.find(MARKER)
            if i < 0:
                break
            emit(buf[:i], final=True)
            buf = buf[i + len(MARKER):]
            OUT_DONE.set()
        keep = held_back(buf)
        emit(buf[:len(buf) - keep])
        buf = buf[len(buf) - keep:]

threading.Thread(target=reader, daemon=True).start()

def limit(name, value):
    if value is None:
        return
    try:
        resource.setrlimit(name, (int(value), int(value)))
    except (ValueError, OSError):
        pass

limit(resource.RLIMIT_AS, CFG.get("memoryBytes"))
limit(resource.RLIMIT_NPROC, CFG.get("maxProcesses"))
limit(resource.RLIMIT_NOFILE, CFG.get("maxOpenFiles"))
limit(resource.RLIMIT_FSIZE, CFG.get("maxFileSizeBytes"))
limit(resource.RLIMIT_CORE, 0)
# A file past RLIMIT_FSIZE is an OSError (EFBIG) for the code, not a killed kernel.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

# A font list built once for all sessions (see python.ts) spares each a scan of the system fonts.
if CFG.get("fontCacheDir"):
    try:
        import shutil
        target = os.environ.get("MPLCONFIGDIR", "/tmp/.matplotlib")
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(CFG["fontCacheDir"]):
            if name.startswith("fontlist") and name.endswith(".json"):
                shutil.copyfile(os.path.join(CFG["fontCacheDir"], name), os.path.join(target, name))
    except OSError:
        pass

def cpu_used():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

# Figures: plt.show() and every figure still open at the end become PNGs.
IMAGES = []
MAX_IMAGES = int(CFG.get("maxImages", 50))

def collect_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    try:
        for num in plt.get_fignums():
            if len(IMAGES) >= MAX_IMAGES:
                break
            fig = plt.figure(num)
            buf = io.BytesIO()
            fig.savefig(buf, format="png")
            IMAGES.append(base64.b64encode(buf.getvalue()).decode("ascii"))
    finally:
        plt.close("all")

def _show(*args, **kwargs):
    collect_figures()

class PyplotHook:
    """Patches pyplot.show as pyplot is first imported, whoever imports it."""
    def find_spec(self, name, path=None, target=None):
        if name != "matplotlib.pyplot":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module
        def patched(module):
            exec_module(module)
            module.show = _show
        spec.loader.exec_module = patched
        return spec

sys.meta_path.insert(0, PyplotHook())

def snapshot():
    seen = {}
    for dirpath, dirnames, filenames in os.walk(DATA):
        for f in filenames:
            p = os.path.join(dirpath, f)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                seen[p] = (st.st_size, st.st_mtime_ns)
        if len(seen) > 10000:
            break
    return seen

def changed_files(before, notes):
    files = []
    budget = int(CFG["maxReturnedBytes"])
    for p, sig in sorted(snapshot().items()):
        if before.get(p) == sig:
            continue
        name = os.path.relpath(p, DATA)
        if len(files) >= int(CFG.get("maxFiles", 100)):
            notes.append("[file %s not returned: too many files]" % name)
            continue
        if sig[0] > budget:
            notes.append("[file %s not returned: %d bytes is over the limit]" % (name, sig[0]))
            continue
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as fh:
                data = fh.read(budget + 1)
        except OSError as e:
            notes.append("[file %s not returned: %s]" % (name, e.strerror))
            continue
        if len(data) > budget:
            notes.append("[file %s not returned: over the limit]" % name)
            continue
        budget -= len(data)
        files.append({"name": name, "b64": base64.b64encode(data).decode("ascii")})
    return files

# A fork refused for the process limit is a resource error, not the code's bug.
FORK = {"refused": False}

def _wrap_fork(fork):
    def wrapped(*args, **kwargs):
        try:
            return fork(*args, **kwargs)
        except OSError as e:
            if e.errno == errno.EAGAIN:
                FORK["refused"] = True
            raise
    wrapped.__name__ = fork.__name__
    wrapped.__doc__ = fork.__doc__
    return wrapped

os.fork = _wrap_fork(os.fork)
if hasattr(os, "forkpty"):
    os.forkpty = _wrap_fork(os.forkpty)

MAIN = types.ModuleType("__main__")
MAIN.__dict__["__builtins__"] = builtins
sys.modules["__main__"] = MAIN
COUNT = 0

def classify(e, tb_text):
    if isinstance(e, MemoryError):
        return {"kind": "resource", "message": "MemoryError: the memory limit (%d MB) was reached" % (int(CFG["memoryBytes"]) // 2**20)}
    if isinstance(e, OSError) and e.errno == errno.EAGAIN and (FORK["refused"] or "fork_exec" in tb_text):
        return {"kind": "resource", "message": "%s: the process limit (%d) was reached" % (type(e).__name__, int(CFG["maxProcesses"]))}
    return {"kind": "exception", "name": type(e).__name__, "message": str(e), "traceback": tb_text}

def run(req):
    global COUNT
    COUNT += 1
    filename = "<cell %d>" % COUNT
    code = req["code"]
    IMAGES.clear()
    # Output reaches the logs again even if an earlier execution rebound sys.stdout.
    sys.stdout, sys.stderr = STDOUT, STDERR
    FORK["refused"] = False
    OUT["seen"] = 0
    OUT["truncated"] = False
    notes = []
    error = None
    before = snapshot()
    cpu = req.get("cpuSeconds")
    if cpu:
        try:
            soft = int(cpu_used()) + int(cpu)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))
        except (ValueError, OSError):
            pass
    try:
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        exec(compile(code, filename, "exec"), MAIN.__dict__)
        collect_figures()
    except BaseException as e:
        if os.getpid() != KPID:
            os._exit(1)
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != filename:
            tb = tb.tb_next
        tb_text = "".join(traceback.format_exception(type(e), e, tb))
        error = classify(e, tb_text)
        if error["kind"] == "exception":
            try:
                collect_figures()
            except BaseException:
                pass
        tb = None
    if os.getpid() != KPID:
        os._exit(0)
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except BaseException:
            pass
    OUT_DONE.clear()
    try:
        os.write(1, MARKER)
        OUT_DONE.wait(2)
    except OSError:
        pass
    files = changed_files(before, notes) if error is None or error["kind"] == "exception" else []
    return {"t": "done", "id": req["id"], "error": error, "truncated": OUT["truncated"],
            "images": list(IMAGES), "files": files, "notes": notes}

send({"t": "ready", "version": "%d.%d.%d" % sys.version_info[:3]})
while True:
    header = read_exact(4)
    if header is None:
        os._exit(0)
    body = read_exact(struct.unpack(">I", header)[0])
    if body is None:
        os._exit(0)
    req = json.loads(body)
    try:
        answer = run(req)
    except MemoryError:
        answer = {"t": "done", "id": req["id"], "error": {"kind": "resource", "message": "MemoryError: the memory limit was reached"},
                  "truncated": OUT["truncated"], "images": [], "files": [], "notes": []}
    send(answer)
    IMAGES.clear()
`;
