"""Fork server: imports the ML stack once, then forks each Python job from that warm interpreter.

Started by fork-server.ts as `python3 -u fork_server.py SOCKET MODULE... PADDING` (PADDING: room for the
jobs' command lines in ps). It imports the modules, listens
on the Unix socket SOCKET, prints "ready" on stdout and serves until stdin closes (its Node parent ended).

A job is a set of connections sharing a job id, each opened with one JSON header line:
  {"job": ID, "fd": N}              a socket the job gets as file descriptor N (stdout, stderr, fd 3)
  {"job": ID, "request": {...}}     the control connection; once every socket fd of the request arrived, the
                                    server forks, answers {"pid": P} and, when the job ended,
                                    {"code": C, "signal": S} (then closes it)
request: argv [python, flags..., script, args...], env, cwd, namespace {opt_ml, sandbox} or null,
         files {fd: path} (opened for appending), sockets [fd...], unbuffered.

The child becomes what `python3 script.py` would be: its own session and process group, stdin /dev/null, no
other descriptor open, a private mount namespace (overlay over /opt, the job folder at /opt/ml), its cwd and
environment, sys.argv, sys.path, fresh __main__, reseeded random generators, Python's exit codes and
messages, atexit handlers run. It dies with the server (PR_SET_PDEATHSIG), which dies with Node.
"""

import ctypes
import fcntl
import json
import os
import selectors
import signal
import socket
import sys

CLONE_NEWNS = 0x00020000
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
MOUNT_FAILED = 32  # mount(8)'s exit code for a failed mount, what the shell sandbox exits with

libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]


def checked(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "{}: {}".format(what, os.strerror(errno)))


def encoded(value):
    return os.fsencode(value) if value is not None else None


def mount(source, target, fstype, flags, data=None):
    checked(
        libc.mount(encoded(source), encoded(target), encoded(fstype), flags, encoded(data)),
        "mount {} on {}".format(source or fstype, target),
    )


def enter_namespace(namespace):
    """What sandbox.ts's shell does: private mounts, an overlay over /opt, the job folder at /opt/ml."""
    checked(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    # Relative upper/work folders: the state dir's path never enters the comma-separated option string.
    os.chdir(namespace["sandbox"])
    mount("overlay", "/opt", "overlay", 0, "lowerdir=/opt,upperdir=upper,workdir=work")
    os.makedirs("/opt/ml", exist_ok=True)
    mount(namespace["opt_ml"], "/opt/ml", None, MS_BIND)


def apply_thread_settings(env):
    """OpenMP read OMP_NUM_THREADS when the server loaded it; a fresh process would honour the job's value."""
    wanted = env.get("OMP_NUM_THREADS", "")
    if wanted.isdigit() and int(wanted) > 0:
        try:
            ctypes.CDLL("libgomp.so.1").omp_set_num_threads(int(wanted))
        except OSError:
            pass


def set_process_title(argv):
    """ps and /proc/PID/cmdline show the job's command line, written over the server's own (padded) one."""
    with open("/proc/self/stat", "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    # Fields 48 and 49 of stat(5), counted from the state field (3).
    start, end = int(fields[45]), int(fields[46])
    title = b"\0".join(os.fsencode(arg) for arg in argv)[: end - start - 1]
    ctypes.memmove(start, title + b"\0" * (end - start - len(title)), end - start)


def reseed_generators():
    """Each fork starts from the server's generator state; a fresh process draws a new seed."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


def standard_streams(unbuffered):
    """sys.std* over fds 0-2, configured as Python configures them for a non-terminal."""
    import io

    def writer(fd, errors, line_buffering):
        raw = io.FileIO(fd, "w", closefd=False)
        binary = raw if unbuffered else io.BufferedWriter(raw)
        return io.TextIOWrapper(
            binary,
            encoding="utf-8",
            errors=errors,
            line_buffering=line_buffering,
            write_through=unbuffered,
        )

    sys.stdin = sys.__stdin__ = io.TextIOWrapper(
        io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8"
    )
    sys.stdout = sys.__stdout__ = writer(1, "strict", False)
    sys.stderr = sys.__stderr__ = writer(2, "backslashreplace", True)


def exit_code(error):
    """How Python turns a SystemExit into an exit status (printing a non-integer code)."""
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def run_script(argv, script):
    """Runs the script as __main__; returns the exit status a fresh interpreter would have."""
    import types

    try:
        with open(script, "rb") as handle:
            source = handle.read()
    except OSError as error:
        print(
            "{}: can't open file {!r}: [Errno {}] {}".format(argv[0], script, error.errno, error.strerror),
            file=sys.stderr,
        )
        return 2
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": script, "__builtins__": __builtins__, "__cached__": None})
    sys.modules["__main__"] = main
    try:
        exec(compile(source, script, "exec"), main.__dict__)
        return 0
    except SystemExit as error:
        return exit_code(error)
    except BaseException as error:
        kind, value, trace = sys.exc_info()
        # Without this module's frame the traceback is the one `python3 script.py` prints.
        value.__traceback__ = trace.tb_next if trace else None
        sys.excepthook(kind, value, value.__traceback__)
        # Python ends an uncaught Ctrl-C by killing itself with SIGINT.
        return -signal.SIGINT if isinstance(error, KeyboardInterrupt) else 1


def shut_down(code):
    """Python's own shutdown: non-daemon threads joined, atexit handlers run, streams flushed; a negative
    code is a signal to die by."""
    import atexit
    import threading

    try:
        threading._shutdown()
        atexit._run_exitfuncs()
    except SystemExit as error:
        code = exit_code(error)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code)


def child(request, fds, server_pid):
    """In the forked process: becomes the job, never returns."""
    try:
        os.setsid()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != server_pid:
            os._exit(1)
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd, path in request.get("files", {}).items():
            fds[int(fd)] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        for fd in (0, 1, 2):
            fds.setdefault(fd, devnull)
        # Copies above every target first, so placing one target never overwrites a source still to be placed.
        staged = {target: fcntl.fcntl(source, fcntl.F_DUPFD, 256) for target, source in fds.items()}
        for target, source in staged.items():
            os.dup2(source, target, inheritable=True)
        highest = max(fds)
        os.closerange(highest + 1, os.sysconf("SC_OPEN_MAX"))
        for fd in set(range(3, highest + 1)) - set(fds):
            try:
                os.close(fd)
            except OSError:
                pass
    except BaseException as error:
        os.write(2, "fork server: setting up the job failed: {}\n".format(error).encode())
        os._exit(1)
    env = request["env"]
    standard_streams(request.get("unbuffered") or bool(env.get("PYTHONUNBUFFERED")))
    try:
        if request.get("namespace"):
            enter_namespace(request["namespace"])
        os.chdir(request["cwd"])
    except OSError as error:
        print("sandbox: {}".format(error), file=sys.stderr)
        shut_down(MOUNT_FAILED)
    os.environ.clear()
    os.environ.update(env)
    apply_thread_settings(env)
    reseed_generators()
    argv = request["argv"]
    set_process_title(argv)
    script = request["script_index"]
    sys.argv = argv[script:]
    sys.orig_argv = list(argv)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    python_path = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    sys.path[0:1] = [os.path.dirname(os.path.realpath(argv[script]))] + python_path
    shut_down(run_script(argv, argv[script]))


class Server:
    def __init__(self, socket_path):
        self.selector = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(socket_path)
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ, self.accept)
        self.jobs = {}  # job id -> {"request", "control", "fds"}
        self.running = {}  # pid -> control socket
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector.register(wake_read, selectors.EVENT_READ, self.reap)
        self.selector.register(sys.stdin, selectors.EVENT_READ, self.stdin_closed)
        self.done = False

    def serve(self):
        while not self.done:
            for key, _ in self.selector.select():
                key.data(key.fileobj)

    def stdin_closed(self, stdin):
        if not os.read(stdin.fileno(), 4096):
            self.done = True

    def accept(self, listener):
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return
        connection.setblocking(True)
        self.selector.register(connection, selectors.EVENT_READ, self.header)

    def header(self, connection):
        """Reads exactly the header line, leaving what follows (protocol frames) for the job."""
        peeked = connection.recv(65536, socket.MSG_PEEK)
        end = peeked.find(b"\n")
        if end < 0:
            if not peeked or len(peeked) == 65536:
                self.selector.unregister(connection)
                connection.close()
            return
        self.selector.unregister(connection)
        header = json.loads(connection.recv(end + 1))
        job = self.jobs.setdefault(header["job"], {"request": None, "control": None, "fds": {}})
        if "request" in header:
            job["request"], job["control"] = header["request"], connection
        else:
            job["fds"][int(header["fd"])] = connection
        self.maybe_start(header["job"])

    def maybe_start(self, job_id):
        job = self.jobs[job_id]
        request = job["request"]
        if request is None or set(job["fds"]) != set(request.get("sockets", [])):
            return
        del self.jobs[job_id]
        fds = {fd: connection.fileno() for fd, connection in job["fds"].items()}
        pid = os.fork()
        if pid == 0:
            try:
                child(request, fds, os.getppid())
            finally:
                os._exit(1)  # The job's code never returns into the server's loop.
        for connection in job["fds"].values():
            connection.close()
        self.running[pid] = job["control"]
        self.send(job["control"], {"pid": pid})

    def reap(self, wake):
        try:
            while os.read(wake, 4096):
                pass
        except BlockingIOError:
            pass
        while self.running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            control = self.running.pop(pid, None)
            if control is None:
                continue
            if os.WIFSIGNALED(status):
                ended = {"code": None, "signal": signal.Signals(os.WTERMSIG(status)).name}
            else:
                ended = {"code": os.WEXITSTATUS(status), "signal": None}
            self.send(control, ended)
            control.close()

    @staticmethod
    def send(connection, message):
        try:
            connection.sendall((json.dumps(message) + "\n").encode())
        except OSError:
            pass  # Node gave up on this job; the exit status has no reader.


def main():
    socket_path, modules = sys.argv[1], [arg for arg in sys.argv[2:] if arg.strip()]
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # Ctrl-C is Node's to handle (it stops the jobs); the children restore Python's handler.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in modules:
        __import__(module)
    server = Server(socket_path)
    print("ready", flush=True)
    server.serve()


if __name__ == "__main__":
    main()
