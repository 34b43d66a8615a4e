"""Runs debugpy's debuggee side (``python <debugpy dir> --connect ... program``) with fixes.

The debugpy launcher starts the debuggee as ``<python> <this file> [--no-speedups] <debugpy dir>
--connect HOST:PORT ... <program> <args>`` because the launch request names ``[python, -X ...,
this file, ...]`` as the interpreter. This file then behaves exactly like ``python <debugpy dir>
...`` would, except that:

- pydevd's connect to the adapter goes to the adapter's Unix socket (see local_sockets.py), and
  the adapter's access token, which launcher.py took off the command line, comes back from the
  environment into ``sys.argv``. Both variables leave ``os.environ`` before the program runs.

and, unless ``--no-speedups`` is given, once pydevd connected to the adapter (before any program
code runs):

1. A thread suspended by pydevd polls for work every 10 ms (``time.sleep(0.01)`` in
   ``PyDB._do_wait_suspend``). That sleep returns as soon as a command arrives from the adapter.
2. The ~0.8 s pydevd spends between the program's end and the process exit shrinks to ~0.1 s
   (~0.2 s from the last output to the `exited` event, instead of ~0.75 s).
3. Signal handlers let the runner deliver a pause to a main thread blocked in a call, and abort an
   evaluation that outlived its timeout.

(Over TCP, pydevd's socket needed TCP_NODELAY: it writes every message as two ``sendall`` calls,
and with Nagle's algorithm the body waited ~40 ms for the ACK of the header. A Unix socket has no
such delay; local_sockets.py still sets it when there is no socket directory.)

``socket.socket.connect`` is restored as soon as the debugger connected. Any speed-up that fails is
skipped, never the debug session. The frames of this file are kept out of stack traces and steps
by a ``rules`` entry in the launch request.
"""

import importlib.util
import os
import runpy
import sys
import threading

# Signals the runner sends (see the handlers below): real-time signals, which programs practically
# never use (SIGRTMIN + 6 and + 7 on Linux/glibc). Keep in sync with debugpy.ts. The runner only
# sends one when /proc shows a handler installed, so a debuggee without them is never killed.
PAUSE_SIGNAL = 40
EVALUATION_INTERRUPT_SIGNAL = 41


def _adapter_port(argv):
    """The port of ``<debugpy dir> --connect [HOST:]PORT ...`` (the launcher's order), or None."""
    if argv[1:2] != ["--connect"] or len(argv) < 3:
        return None
    try:
        return int(argv[2].rsplit(":", 1)[-1])
    except ValueError:
        return None


def _load_local_sockets():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "local_sockets.py")
    spec = importlib.util.spec_from_file_location("_debug_server_local_sockets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wake_suspended_threads_on_commands():
    """Lets ``PyDB._do_wait_suspend``'s 10 ms poll end early when the adapter sends a command."""
    import pydevd
    from _pydevd_bundle import pydevd_process_net_command_json as json_commands

    real_time = pydevd.time
    processor = json_commands.PyDevJsonCommandProcessor
    original_process = processor.process_net_command_json
    condition = threading.Condition()
    generation = [0]
    seen = threading.local()

    class _Time(object):
        """pydevd's view of the time module: the same, but its 10 ms poll is interruptible."""

        def __getattr__(self, name):
            return getattr(real_time, name)

        def sleep(self, seconds):
            if seconds != 0.01:
                return real_time.sleep(seconds)
            with condition:
                current = generation[0]
                if getattr(seen, "generation", None) != current:
                    # A command arrived since this thread's last pass: make one more pass at once
                    # (the pass that just ran may have queued or applied it, e.g. a step).
                    seen.generation = current
                    return None
                condition.wait(seconds)
            return None

    def process_net_command_json(self, *args, **kwargs):
        try:
            return original_process(self, *args, **kwargs)
        finally:
            with condition:
                generation[0] += 1
                condition.notify_all()

    processor.process_net_command_json = process_net_command_json
    pydevd.time = _Time()


def _exit_promptly():
    """Cuts pydevd's ~0.8 s between the program's end and the process exit.

    pydevd notices the end of the program with a 0.3 s poll (CheckAliveThread), then two of its
    threads wait for each other while disposing (the reader thread waits for the disposal that
    waits for the reader thread) until a 0.5 s timeout. The poll becomes 20 ms, and a pydevd thread
    no longer waits for a disposal already under way.
    """
    import pydevd

    check_alive = pydevd.CheckAliveThread
    original_init = check_alive.__init__

    class _ShortWaitEvent(threading.Event):
        def wait(self, timeout=None):
            return threading.Event.wait(self, 0.02 if timeout is None else min(timeout, 0.02))

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self._wait_event = _ShortWaitEvent()

    check_alive.__init__ = init

    py_db_class = pydevd.PyDB
    original_dispose = py_db_class.dispose_and_kill_all_pydevd_threads

    def dispose(self, wait=True, timeout=0.5):
        if wait and getattr(self, "pydb_disposed", False) and getattr(threading.current_thread(), "is_pydev_daemon_thread", False):
            wait = False
        return original_dispose(self, wait, timeout)

    py_db_class.dispose_and_kill_all_pydevd_threads = dispose


def _pause_interrupts_blocking_calls():
    """Makes a pause reach a main thread blocked in a call (time.sleep, Event.wait, input, ...).

    pydevd suspends a thread at its next trace event, and a thread blocked in C code has none
    until the call returns (a sleeping program would stop only after its sleep). The runner sends
    PAUSE_SIGNAL after a pause that did not stop soon: Python runs this handler in the main thread,
    between two bytecodes or inside the interrupted call (which resumes afterwards, PEP 475), and
    the handler suspends the thread right there, at the frame that was running.
    """
    import signal

    import pydevd
    from _pydevd_bundle.pydevd_additional_thread_info import set_additional_thread_info
    from _pydevd_bundle.pydevd_constants import STATE_SUSPEND

    this_file = os.path.abspath(__file__)
    depth = threading.local()
    py_db_class = pydevd.PyDB
    original_do_wait_suspend = py_db_class.do_wait_suspend

    def do_wait_suspend(self, *args, **kwargs):
        depth.value = getattr(depth, "value", 0) + 1
        try:
            return original_do_wait_suspend(self, *args, **kwargs)
        finally:
            depth.value -= 1

    def interrupted_program_code(py_db, frame):
        """True when the frame runs program code, not (code called by) the debugger."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename == this_file or py_db.get_file_type(frame) == py_db.PYDEV_FILE:
                return False
            if not py_db.apply_files_filter(frame, filename, True):
                return True  # Reached the program's own code first.
            frame = frame.f_back
        return False

    def on_pause_signal(signum, frame):
        try:
            py_db = pydevd.get_global_debugger()
            thread = threading.current_thread()
            if py_db is None or frame is None or getattr(depth, "value", 0) > 0:
                return
            info = set_additional_thread_info(thread)
            # Only a pause the debugger accepted but could not deliver yet.
            if info.pydev_state != STATE_SUSPEND or not interrupted_program_code(py_db, frame):
                return
        except Exception:  # noqa: BLE001 - never disturb the program
            return
        py_db.do_wait_suspend(thread, frame, "line", None)

    py_db_class.do_wait_suspend = do_wait_suspend
    signal.signal(PAUSE_SIGNAL, on_pause_signal)


def _evaluations_interruptible():
    """Lets the runner abort an evaluation that outlived its timeout (an endless loop, a long call).

    DAP has no way to cancel an evaluation, and a thread stuck evaluating serves no other request.
    On EVALUATION_INTERRUPT_SIGNAL, every evaluation under way gets a KeyboardInterrupt, which
    pydevd reports as the evaluation's error: the main thread's from this handler (which also breaks
    a blocking call), other threads' asynchronously (at their next bytecode).
    """
    import ctypes
    import signal

    from _pydevd_bundle import pydevd_vars

    running = {}
    main_ident = threading.main_thread().ident
    original_evaluate = pydevd_vars.evaluate_expression

    def evaluate_expression(*args, **kwargs):
        ident = threading.get_ident()
        mark = [True]
        outer = running.get(ident)
        running[ident] = mark
        try:
            return original_evaluate(*args, **kwargs)
        finally:
            mark[0] = False
            if outer is not None:
                running[ident] = outer
            elif running.get(ident) is mark:
                del running[ident]

    def on_interrupt_signal(signum, frame):
        interrupt_main = False
        for ident, mark in list(running.items()):
            if not mark[0]:
                continue
            if ident == main_ident:
                interrupt_main = True
            else:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(KeyboardInterrupt))
        if interrupt_main:
            raise KeyboardInterrupt("evaluation timed out")

    pydevd_vars.evaluate_expression = evaluate_expression
    signal.signal(EVALUATION_INTERRUPT_SIGNAL, on_interrupt_signal)


def _install_speed_ups(sock):
    for speed_up in (
        _wake_suspended_threads_on_commands,
        _exit_promptly,
        _pause_interrupts_blocking_calls,
        _evaluations_interruptible,
    ):
        try:
            speed_up()
        except Exception:  # noqa: BLE001 - a speed-up must never break debugging
            pass


def main():
    argv = sys.argv[1:]
    speed_ups = True
    if argv[:1] == ["--no-speedups"]:
        speed_ups = False
        argv = argv[1:]
    # The adapter appends "-X frozen_modules=off" after the interpreter on Python >= 3.11; our own
    # command line already passed it to the interpreter, here it would only be an argument.
    while argv[:2] == ["-X", "frozen_modules=off"]:
        argv = argv[2:]
    if not argv:
        sys.exit("usage: bootstrap.py [--no-speedups] <debugpy dir> --connect HOST:PORT ... program")
    local_sockets = _load_local_sockets()
    # Only for debugpy: the program and its children see neither.
    socket_dir = os.environ.pop(local_sockets.SOCKET_DIR_VARIABLE, None)
    token = os.environ.pop(local_sockets.ACCESS_TOKEN_VARIABLE, None)
    port = _adapter_port(argv)
    if port is not None:
        if token is not None:
            argv = local_sockets.restore_access_token(argv, token)
        local_sockets.connect_through_directory(port, socket_dir, _install_speed_ups if speed_ups else None)
    # Now look exactly like "python <debugpy dir> ...": argv, and sys.path without our directory
    # (run_path puts the debugpy directory first; debugpy's __main__ takes it out again).
    sys.argv = argv
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    runpy.run_path(argv[0], run_name="__main__")


main()
