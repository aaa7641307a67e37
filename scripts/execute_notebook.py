#!/usr/bin/env python3
"""Execute one Jupyter notebook headlessly without losing late outputs.

Stock nbconvert/nbclient stop listening to a cell once the kernel reports it
idle. The Deno kernel sometimes publishes a cell's stdout, display data or
result after that point, and it stamps such late messages with the parent
header of whatever request it is handling when they go out. This driver
therefore:

* routes every IOPub message to a cell through a msg_id -> cell map, for as
  long as the kernel runs, not just while that cell is executing;
* routes an ``execute_result`` by its ``execution_count``, which the kernel
  always sets correctly, even when the parent header is stale;
* runs a silent "barrier" request between cells (it yields one turn of the
  kernel's event loop and prints nothing), so that output that would
  otherwise be stamped with the next cell's header is stamped with the
  barrier's and goes back to the cell before it;
* keeps draining IOPub after the last cell until it has been quiet a while.

Output that a cell schedules for later (``setTimeout``) lands, as in Jupyter
front ends, in the cell that ran most recently before it was published.

Usage:
    execute_notebook.py [--kernel NAME] [--timeout S] [--startup-timeout S]
                        [--cwd DIR] [--quiet S] IN OUT

Prints one line of JSON to stdout (see ``summary`` in ``main``); exits 0 when
every code cell ran without error and every output found its cell, 1 on a cell
error, timeout, kernel death or an output that could not be routed (``dropped``
in the summary), 2 when the notebook could not be run at all. Needs only Debian's
``jupyter_client`` and ``nbformat``.
"""

import argparse
import json
import os
import queue
import sys
import time

import nbformat
from jupyter_client.manager import KernelManager

# Silent request run between cells; see the module docstring.
BARRIER_CODE = "await new Promise((resolve) => setTimeout(resolve, 0));"

# How often to look at the shell channel while waiting on IOPub (seconds).
POLL = 0.01


class CellFailure(Exception):
    """A cell raised, timed out, or took the kernel down with it."""

    def __init__(self, cell, message):
        super().__init__(message)
        self.cell = cell
        self.message = message


class NotebookRun:
    """Executes a notebook's code cells in order and collects their outputs."""

    def __init__(self, nb, km, kc, timeout):
        self.nb = nb
        self.km = km
        self.kc = kc
        self.timeout = timeout
        self.owner_by_msg = {}  # request msg_id -> cell index
        self.owner_by_count = {}  # execution_count -> cell index
        self.displays = {}  # display_id -> outputs showing it
        self.clear_pending = set()  # cells with a clear_output(wait=True)
        self.failure = None  # first CellFailure seen
        self.dropped = 0  # outputs no cell could be found for
        self.idle_cells = set()  # cells whose own request has gone idle
        self.late = 0  # outputs that arrived after their cell went idle

    # -- output handling ---------------------------------------------------

    def owner(self, msg):
        """Index of the cell an IOPub message belongs to, or None."""
        content = msg["content"]
        if msg["msg_type"] == "execute_result":
            count = content.get("execution_count")
            if count in self.owner_by_count:
                return self.owner_by_count[count]
        return self.owner_by_msg.get(msg["parent_header"].get("msg_id"))

    def add_output(self, index, output):
        outputs = self.nb.cells[index].outputs
        if index in self.clear_pending:
            self.clear_pending.discard(index)
            outputs.clear()
        # Consecutive chunks of one stream form one output, as in Jupyter.
        if (
            output.output_type == "stream"
            and outputs
            and outputs[-1].output_type == "stream"
            and outputs[-1].name == output.name
        ):
            outputs[-1].text += output.text
        else:
            outputs.append(output)

    def handle_iopub(self, msg):
        """Record one IOPub message in the cell it belongs to."""
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "execute_input":
            # Learn each cell's execution_count as early as possible.
            index = self.owner_by_msg.get(msg["parent_header"].get("msg_id"))
            if index is not None and content.get("execution_count") is not None:
                self.owner_by_count.setdefault(content["execution_count"], index)
            return
        if kind in ("status", "comm_open", "comm_msg", "comm_close"):
            return
        index = self.owner(msg)
        if index is None:
            if kind in ("stream", "display_data", "execute_result", "error"):
                self.dropped += 1
                print(f"execute_notebook: no cell for a late {kind}", file=sys.stderr)
            return

        if index in self.idle_cells and kind != "update_display_data":
            # nbclient would have dropped this one.
            self.late += 1

        if kind == "stream":
            out = nbformat.v4.new_output("stream", name=content["name"], text=content["text"])
            self.add_output(index, out)
        elif kind == "execute_result":
            out = nbformat.v4.new_output(
                "execute_result",
                data=content.get("data", {}),
                metadata=content.get("metadata", {}),
                execution_count=content.get("execution_count"),
            )
            self.add_output(index, out)
        elif kind == "display_data":
            out = nbformat.v4.new_output(
                "display_data",
                data=content.get("data", {}),
                metadata=content.get("metadata", {}),
            )
            self.add_output(index, out)
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                self.displays.setdefault(display_id, []).append(out)
        elif kind == "update_display_data":
            display_id = content.get("transient", {}).get("display_id")
            for out in self.displays.get(display_id, []):
                out.data = nbformat.from_dict(content.get("data", {}))
                out.metadata = nbformat.from_dict(content.get("metadata", {}))
        elif kind == "clear_output":
            if content.get("wait"):
                self.clear_pending.add(index)
            else:
                self.nb.cells[index].outputs.clear()
        elif kind == "error":
            out = nbformat.v4.new_output(
                "error",
                ename=content.get("ename", ""),
                evalue=content.get("evalue", ""),
                traceback=content.get("traceback", []),
            )
            self.add_output(index, out)
            self.fail(index, f"{out.ename}: {out.evalue}")

    def fail(self, index, message):
        if self.failure is None:
            self.failure = CellFailure(index, message)

    # -- message pump ------------------------------------------------------

    def wait_for(self, msg_id, index, deadline):
        """Pump messages until request msg_id has its reply and its idle status."""
        reply = None
        idle = False
        while reply is None or not idle:
            try:
                msg = self.kc.get_iopub_msg(timeout=POLL)
            except queue.Empty:
                msg = None
            if msg is not None:
                self.handle_iopub(msg)
                if (
                    msg["msg_type"] == "status"
                    and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"].get("execution_state") == "idle"
                ):
                    idle = True
                    self.idle_cells.add(index)
            while True:
                try:
                    shell = self.kc.get_shell_msg(timeout=0)
                except queue.Empty:
                    break
                if shell["parent_header"].get("msg_id") == msg_id:
                    reply = shell
            if time.monotonic() > deadline:
                raise CellFailure(index, f"Timeout: cell still running after {self.timeout:g} s")
            if msg is None and not self.km.is_alive():
                raise CellFailure(index, "Kernel died while running this cell")
        return reply

    def drain(self, quiet, limit):
        """Take IOPub messages until none arrived for `quiet` s (at most `limit` s)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=quiet)
            except queue.Empty:
                return
            self.handle_iopub(msg)

    # -- execution ---------------------------------------------------------

    def run_cell(self, index):
        cell = self.nb.cells[index]
        cell.outputs = []
        cell.execution_count = None
        msg_id = self.kc.execute(cell.source, store_history=True, allow_stdin=False)
        self.owner_by_msg[msg_id] = index
        deadline = time.monotonic() + self.timeout
        reply = self.wait_for(msg_id, index, deadline)
        count = reply["content"].get("execution_count")
        if count is not None:
            cell.execution_count = count
            self.owner_by_count.setdefault(count, index)
        if reply["content"].get("status") == "error":
            content = reply["content"]
            self.fail(index, f"{content.get('ename', 'Error')}: {content.get('evalue', '')}")
        # Barrier: late output from this cell is stamped with its msg_id.
        barrier = self.kc.execute(BARRIER_CODE, silent=True, store_history=False)
        self.owner_by_msg[barrier] = index
        self.wait_for(barrier, index, time.monotonic() + self.timeout)

    def run(self, quiet):
        """Run code cells until one fails; return the number of cells run."""
        code_cells = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        ran = []
        stuck = False
        for index in code_cells:
            if self.failure is not None:
                break
            ran.append(index)
            try:
                self.run_cell(index)
            except CellFailure as failure:
                self.fail(failure.cell, failure.message)
                stuck = True
        # Cells not run must not keep outputs from an earlier run.
        for index in code_cells:
            if index not in ran:
                self.nb.cells[index].outputs = []
                self.nb.cells[index].execution_count = None
        # A kernel that timed out or died has nothing more worth waiting for.
        if not stuck:
            self.drain(quiet, limit=max(10 * quiet, 5))
        return len(ran)


def sign(nb):
    """Sign the executed notebook, so that this user's Jupyter opens it trusted.

    Jupyter hides SVG and HTML outputs of notebooks it does not trust; the signature (an HMAC
    of the contents, kept in the user's ``nbsignatures.db``) is how a notebook becomes trusted
    without re-running it. Returns whether it was signed.
    """
    try:
        from nbformat.sign import NotebookNotary

        NotebookNotary().sign(nb)
        return True
    except Exception:  # noqa: BLE001 - no sqlite, read-only data dir...
        return False


def verdict(run):
    """Whether a finished run passed: (ok, failed cell or None, error or None).

    A cell failure comes first, with its one-based position among all cells, as
    a reader counts them. A run in which any output could not be routed to a
    cell fails too: the executed notebook would silently lack that output.
    """
    if run.failure is not None:
        return False, run.failure.cell + 1, run.failure.message
    if run.dropped:
        plural = "output" if run.dropped == 1 else "outputs"
        return False, None, f"{run.dropped} {plural} could not be routed to a cell and were lost"
    return True, None, None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", help="notebook to execute")
    parser.add_argument("output", help="where to write the executed notebook")
    parser.add_argument("--kernel", default="deno", help="kernelspec name (default: deno)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=float, default=60, help="seconds")
    parser.add_argument("--cwd", help="kernel working directory (default: the notebook's)")
    parser.add_argument(
        "--quiet", type=float, default=1.0, help="seconds of IOPub silence that end the run"
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    summary = {
        "input": args.input,
        "output": args.output,
        "cells": 0,
        "executed": 0,
        "outputs": 0,
        "ok": False,
        "failed_cell": None,
        "error": None,
        "dropped": 0,
        "late": 0,
        "seconds": 0.0,
    }

    def finish(code):
        summary["seconds"] = round(time.monotonic() - started, 3)
        print(json.dumps(summary), flush=True)
        return code

    try:
        nb = nbformat.read(args.input, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook
        summary["error"] = f"cannot read notebook: {exc}"
        return finish(2)
    summary["cells"] = sum(1 for c in nb.cells if c.cell_type == "code")

    cwd = args.cwd or os.path.dirname(os.path.abspath(args.input))
    km = KernelManager(kernel_name=args.kernel)
    try:
        # Kernel stdout goes to our stderr: our stdout carries only the summary.
        km.start_kernel(cwd=cwd, stdout=sys.stderr.fileno())
    except Exception as exc:  # noqa: BLE001 - missing kernelspec, bad argv...
        summary["error"] = f"cannot start kernel {args.kernel!r}: {exc}"
        return finish(2)

    kc = km.client()
    kc.start_channels()
    code = 1
    try:
        try:
            kc.wait_for_ready(timeout=args.startup_timeout)
        except RuntimeError as exc:
            summary["error"] = f"kernel {args.kernel!r} did not start: {exc}"
            return finish(2)
        info = kc.kernel_info(reply=True, timeout=10)
        language_info = info["content"].get("language_info")
        if language_info:
            nb.metadata["language_info"] = language_info

        run = NotebookRun(nb, km, kc, args.timeout)
        summary["executed"] = run.run(args.quiet)
        summary["dropped"] = run.dropped
        summary["late"] = run.late
        summary["outputs"] = sum(len(c.outputs) for c in nb.cells if c.cell_type == "code")
        summary["ok"], summary["failed_cell"], summary["error"] = verdict(run)
        code = 0 if summary["ok"] else 1

        out_dir = os.path.dirname(os.path.abspath(args.output))
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, args.output)
        summary["signed"] = sign(nb)
        return finish(code)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
