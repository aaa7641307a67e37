#!/usr/bin/env python3
"""Serialise execute_requests in front of a Jupyter kernel (the Deno kernel).

Jupyter front ends send every execute_request of "Run All" at once. The Deno
kernel reads requests ahead and stamps some outputs of cell N (stream,
display_data, execute_result) with the parent header of a later request it has
already read, so front ends, which route outputs by parent msg_id, draw them
under the wrong cell. This proxy sits between the front end and the kernel and
hands the kernel one execute_request at a time.

Usage (as a kernelspec argv):
    kernel_proxy.py -- deno jupyter --kernel --conn {connection_file}

The argument after ``--conn`` is the front end's connection file: the proxy
binds its ports and starts the real kernel with the same argv, except that
``--conn`` names a connection file of the proxy's own (ports on 127.0.0.1, the
same key and signature scheme).

Every message is forwarded with its wire frames untouched (identities,
delimiter, signature, header, parent, metadata, content, buffers); the key is
shared, so nothing is re-signed. Only the timing of execute_requests changes:

* an execute_request on the shell channel is held until the previous one is
  finished: its execute_reply has come back, its ``status: idle`` has been seen
  on IOPub, and IOPub has then been quiet for DRAIN seconds (at most DRAIN_CAP
  seconds after both were seen);
* every other shell request, and all control, stdin and IOPub traffic, passes
  at once;
* an interrupt (interrupt_request on control, or SIGINT to the proxy) or a
  shutdown_request answers the execute_requests still held with
  ``status: aborted`` (as ipykernel does for queued cells after an error), with
  a busy/idle pair on IOPub so front ends clear the cell;
* the heartbeat is echoed by the proxy; SIGINT, SIGTERM and SIGHUP are passed
  on to the kernel; the proxy exits with the kernel's exit code, and the kernel
  dies with the proxy (PR_SET_PDEATHSIG);
* the kernel's ports are chosen after the front end's are bound, and a kernel
  that exits before sending any message (a port taken in the meantime) is
  started again on fresh ports, up to START_ATTEMPTS times.

Nothing is printed to stdout; with PRECEPTRON_PROXY_DEBUG set, a trace goes to
stderr. Needs only pyzmq.
"""

import collections
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import zmq

DELIM = b"<IDS|MSG>"
# Quiet IOPub time that ends a request after its reply and idle status (s).
DRAIN = float(os.environ.get("PRECEPTRON_PROXY_DRAIN", "0.05"))
# Longest wait for that quiet time (s).
DRAIN_CAP = 0.5
# Kernel starts tried while the kernel has not sent a single message.
START_ATTEMPTS = 3
DEBUG = bool(os.environ.get("PRECEPTRON_PROXY_DEBUG"))


def log(*parts):
    if DEBUG:
        print("[kernel_proxy %.3f]" % time.monotonic(), *parts, file=sys.stderr, flush=True)


def split(frames):
    """(identities, header dict, parent dict) of a wire message, or None."""
    try:
        i = frames.index(DELIM)
        return frames[:i], json.loads(frames[i + 2]), json.loads(frames[i + 3])
    except (ValueError, IndexError):
        return None


def free_ports(count):
    """``count`` distinct free ports on 127.0.0.1.

    The sockets are held open until all are chosen, so no port is handed out
    twice; the kernel binds them a moment later, and a port taken in between
    is caught by the restart in ``Proxy.run``.
    """
    held = []
    try:
        for _ in range(count):
            s = socket.socket()
            held.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def set_pdeathsig():
    """Child side of Popen: die with the proxy, in a process group of its own."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Proxy:
    def __init__(self, argv):
        if "--conn" not in argv or argv.index("--conn") + 1 >= len(argv):
            raise SystemExit("kernel_proxy: the kernel argv after -- must contain --conn FILE")
        at = argv.index("--conn") + 1
        with open(argv[at]) as f:
            self.front_conn = json.load(f)
        fc = self.front_conn
        self.key = fc.get("key", "").encode()
        scheme = fc.get("signature_scheme", "hmac-sha256")
        self.digest = getattr(hashlib, scheme.split("-", 1)[1]) if self.key else None

        self.back = {
            "transport": "tcp",
            "ip": "127.0.0.1",
            "key": fc.get("key", ""),
            "signature_scheme": scheme,
        }
        if "kernel_name" in fc:
            self.back["kernel_name"] = fc["kernel_name"]
        fd, self.back_file = tempfile.mkstemp(prefix="preceptron-proxy-", suffix=".json")
        os.close(fd)
        self.kernel_argv = argv[:at] + [self.back_file] + argv[at + 1:]

        ctx = self.ctx = zmq.Context()

        def front_addr(name):
            if fc.get("transport", "tcp") == "ipc":
                return "ipc://%s-%s" % (fc["ip"], fc[name + "_port"])
            return "tcp://%s:%s" % (fc["ip"], fc[name + "_port"])

        def bound(kind, name):
            s = ctx.socket(kind)
            s.linger = 1000
            if kind == zmq.ROUTER:
                s.router_handover = 1
            s.bind(front_addr(name))
            return s

        self.f_shell = bound(zmq.ROUTER, "shell")
        self.f_control = bound(zmq.ROUTER, "control")
        self.f_stdin = bound(zmq.ROUTER, "stdin")
        self.f_iopub = bound(zmq.PUB, "iopub")
        self.f_hb = bound(zmq.REP, "hb")

        # Shell and stdin share one identity, so the kernel's input_request (sent on
        # stdin to the identity of the shell request) reaches the proxy.
        ident = ("proxy-" + uuid.uuid4().hex).encode()

        def unconnected(kind, identity=None):
            s = ctx.socket(kind)
            s.linger = 1000
            if identity is not None:
                s.identity = identity
            if kind == zmq.SUB:
                s.setsockopt(zmq.SUBSCRIBE, b"")
            return s

        self.b_shell = unconnected(zmq.DEALER, ident)
        self.b_control = unconnected(zmq.DEALER, ident + b"-control")
        self.b_stdin = unconnected(zmq.DEALER, ident)
        self.b_iopub = unconnected(zmq.SUB)
        self.back_sockets = {"shell": self.b_shell, "control": self.b_control,
                             "stdin": self.b_stdin, "iopub": self.b_iopub}
        self.heard = False  # any message from the kernel yet

        self.shell_idents = collections.OrderedDict()  # request msg_id -> identities
        self.control_idents = collections.OrderedDict()
        self.queue = collections.deque()  # held execute_requests (frames)
        self.running = None  # msg_id of the execute_request the kernel has
        self.reply_seen = False
        self.idle_seen = False
        self.done_at = None  # when both reply and idle were seen
        self.last_iopub = 0.0
        self.interrupted = False  # set by the SIGINT handler
        self.proc = None

    # -- kernel process ------------------------------------------------------

    def choose_back_ports(self):
        """Fresh kernel ports (chosen after the front ports are bound, so they
        cannot collide with them), written to the kernel's connection file, and
        the back sockets connected to them."""
        for name, s in self.back_sockets.items():
            if name + "_port" in self.back:
                s.disconnect("tcp://127.0.0.1:%s" % self.back[name + "_port"])
        names = ("shell", "control", "stdin", "iopub", "hb")
        for name, port in zip(names, free_ports(len(names))):
            self.back[name + "_port"] = port
        with open(self.back_file, "w") as f:
            json.dump(self.back, f)
        for name, s in self.back_sockets.items():
            s.connect("tcp://127.0.0.1:%s" % self.back[name + "_port"])

    def start_kernel(self):
        self.choose_back_ports()
        log("starting", self.kernel_argv)
        self.proc = subprocess.Popen(
            self.kernel_argv,
            stdin=subprocess.DEVNULL,
            preexec_fn=set_pdeathsig,
            process_group=0,
        ) if sys.version_info >= (3, 11) else subprocess.Popen(
            self.kernel_argv,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: (os.setpgid(0, 0), set_pdeathsig()),
        )

    def serve_front(self):
        """Signals passed on to the kernel, and the heartbeat answered (once)."""

        def forward(signum, _frame):
            log("signal", signum)
            if signum == signal.SIGINT:
                self.interrupted = True
            if self.proc and self.proc.poll() is None:
                try:
                    self.proc.send_signal(signum)
                except OSError:
                    pass

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, forward)

        def heartbeat():
            try:
                while True:
                    self.f_hb.send(self.f_hb.recv())
            except zmq.ZMQError:
                pass

        threading.Thread(target=heartbeat, daemon=True).start()

    # -- serialising execute_requests -----------------------------------------

    def release(self):
        """Send the next held execute_request if the kernel is free."""
        now = time.monotonic()
        if self.running is not None:
            if not (self.reply_seen and self.idle_seen):
                return
            if now - self.last_iopub < DRAIN and now - self.done_at < DRAIN_CAP:
                return
            log("finished", self.running)
            self.running = None
        if self.queue:
            frames = self.queue.popleft()
            self.running = split(frames)[1]["msg_id"]
            self.reply_seen = self.idle_seen = False
            self.done_at = None
            log("release", self.running, "held", len(self.queue))
            self.remember(self.shell_idents, split(frames))
            self.b_shell.send_multipart(frames)

    def deadline(self):
        """Seconds until release() may have something to do, or None."""
        if self.running is None or not self.queue or not (self.reply_seen and self.idle_seen):
            return None
        now = time.monotonic()
        return max(0.0, min(self.last_iopub + DRAIN, self.done_at + DRAIN_CAP) - now)

    def sign(self, parts):
        if not self.digest:
            return b""
        h = hmac.new(self.key, digestmod=self.digest)
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def message(self, msg_type, parent, content, metadata=None):
        header = {
            "msg_id": uuid.uuid4().hex,
            "session": parent.get("session", ""),
            "username": "kernel",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "msg_type": msg_type,
            "version": parent.get("version", "5.3"),
        }
        parts = [json.dumps(x).encode() for x in (header, parent, metadata or {}, content)]
        return [DELIM, self.sign(parts)] + parts

    def abort_queue(self, why):
        """Answer every held execute_request with status: aborted."""
        while self.queue:
            frames = self.queue.popleft()
            idents, header, _ = split(frames)
            log("abort", header["msg_id"], why)
            self.f_iopub.send_multipart([b"status"] + self.message(
                "status", header, {"execution_state": "busy"}))
            self.f_shell.send_multipart(idents + self.message(
                "execute_reply", header, {"status": "aborted"}, {"status": "aborted"}))
            self.f_iopub.send_multipart([b"status"] + self.message(
                "status", header, {"execution_state": "idle"}))

    # -- main loop ---------------------------------------------------------------

    def run(self):
        self.serve_front()
        self.start_kernel()
        starts = 1
        poller = zmq.Poller()
        for s in (self.f_shell, self.f_control, self.f_stdin,
                  self.b_shell, self.b_control, self.b_stdin, self.b_iopub):
            poller.register(s, zmq.POLLIN)
        while True:
            if self.interrupted:
                self.interrupted = False
                self.abort_queue("SIGINT")
            code = self.proc.poll()
            if code is not None:
                log("kernel exited", code)
                # Dying before saying anything is most often a port taken between
                # choosing it and the kernel binding it: start again on fresh ports.
                if self.heard or starts >= START_ATTEMPTS:
                    return code
                starts += 1
                self.start_kernel()
                continue
            wait = self.deadline()
            timeout = 100 if wait is None else min(100, max(1, int(wait * 1000) + 1))
            try:
                ready = dict(poller.poll(timeout))
            except zmq.ZMQError:
                continue  # EINTR: a signal arrived
            # IOPub first, so the idle status is known before a later shell reply.
            if self.b_iopub in ready:
                while True:
                    try:
                        frames = self.b_iopub.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    self.f_iopub.send_multipart(frames)
                    self.heard = True
                    self.last_iopub = time.monotonic()
                    msg = split(frames)
                    log("iopub <-", msg and msg[1].get("msg_type"),
                        msg and msg[2].get("msg_id") == self.running and self.idle_seen and "LATE")
                    if msg and self.running is not None:
                        _, header, parent = msg
                        if (header.get("msg_type") == "status"
                                and parent.get("msg_id") == self.running
                                and json.loads(frames[frames.index(DELIM) + 5])
                                .get("execution_state") == "idle"):
                            self.idle_seen = True
                            self.mark_done()
            if self.b_shell in ready:
                while True:
                    try:
                        frames = self.b_shell.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    self.heard = True
                    msg = split(frames)
                    self.f_shell.send_multipart(self.restore(frames, msg, self.shell_idents))
                    log("shell <-", msg and msg[1].get("msg_type"))
                    if msg and msg[1].get("msg_type") == "execute_reply" \
                            and msg[2].get("msg_id") == self.running:
                        self.reply_seen = True
                        self.mark_done()
            for back, front, idents in ((self.b_control, self.f_control, self.control_idents),
                                        (self.b_stdin, self.f_stdin, self.shell_idents)):
                if back in ready:
                    while True:
                        try:
                            frames = back.recv_multipart(zmq.NOBLOCK)
                        except zmq.Again:
                            break
                        front.send_multipart(self.restore(frames, split(frames), idents))
            if self.f_stdin in ready:
                self.pump(self.f_stdin, self.b_stdin)
            if self.f_control in ready:
                while True:
                    try:
                        frames = self.f_control.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    msg = split(frames)
                    kind = msg[1].get("msg_type") if msg else None
                    if kind in ("interrupt_request", "shutdown_request"):
                        self.abort_queue(kind)
                    self.remember(self.control_idents, msg)
                    self.b_control.send_multipart(frames)
            if self.f_shell in ready:
                while True:
                    try:
                        frames = self.f_shell.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    msg = split(frames)
                    kind = msg[1].get("msg_type") if msg else None
                    if kind == "execute_request":
                        log("hold", msg[1].get("msg_id"))
                        self.queue.append(frames)
                    else:
                        log("shell ->", kind)
                        if kind == "shutdown_request":
                            self.abort_queue(kind)
                        self.remember(self.shell_idents, msg)
                        self.b_shell.send_multipart(frames)
            self.release()

    @staticmethod
    def remember(table, msg):
        """Note the front end's identities of a request, by msg_id."""
        if msg:
            table[msg[1].get("msg_id")] = msg[0]
            while len(table) > 4096:
                table.popitem(last=False)

    @staticmethod
    def restore(frames, msg, table):
        """A kernel message with the identities of the request it answers.

        The Deno kernel keeps only the first identity frame (the proxy's, which the
        DEALER strips), so the front end's identities are put back from the request.
        """
        if not msg:
            return frames
        idents = table.get(msg[2].get("msg_id"))
        if idents is None or msg[0]:
            return frames
        return list(idents) + frames

    def mark_done(self):
        if self.reply_seen and self.idle_seen and self.done_at is None:
            self.done_at = time.monotonic()

    def close(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(5)
            except Exception:
                self.proc.kill()
        try:
            os.unlink(self.back_file)
        except OSError:
            pass
        # No ctx.destroy(): terminating the context waits on the heartbeat thread's socket, which
        # is blocked in recv(), so the proxy would outlive its kernel. The process exits instead.


def main(args):
    if "--" in args:
        args = args[args.index("--") + 1:]
    if not args:
        print("usage: kernel_proxy.py -- KERNEL-ARGV... --conn {connection_file}", file=sys.stderr)
        return 2
    proxy = Proxy(args)
    try:
        return proxy.run()
    finally:
        proxy.close()


if __name__ == "__main__":
    code = main(sys.argv[1:]) or 0
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) and 0 <= code < 256 else 1)
