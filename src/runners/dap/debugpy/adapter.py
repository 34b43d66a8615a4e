"""Runs debugpy's adapter (``python -m debugpy.adapter``, DAP over stdio) without TCP listeners.

    python -X frozen_modules=off adapter.py [the arguments of debugpy.adapter]

debugpy's adapter would listen on 127.0.0.1 three times: for clients (even when its client talks
over stdio), for pydevd and for its launcher. Here it opens no client listener, and the other two
are Unix sockets in a private directory (see local_sockets.py), which this process creates,
passes on to the launcher and the debuggee in its environment, and removes when it ends.

Only DAP over stdio: ``--port`` and ``--for-server`` (debugpy's other modes) are refused.
"""

import atexit
import importlib.util
import locale
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_local_sockets():
    spec = importlib.util.spec_from_file_location("_debug_server_local_sockets", os.path.join(HERE, "local_sockets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _socket_directory(local_sockets):
    """A new socket directory, removed when this process exits or gets SIGTERM."""
    # The runner ends an adapter that does not exit by itself with SIGTERM (then SIGKILL): remove
    # the directory, then die of the signal as before. SIGTERM waits while the directory and its
    # handler are being set up (no other thread runs yet).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        directory = local_sockets.SocketDirectory()
        atexit.register(directory.remove)

        def on_terminate(signum, frame):
            directory.remove()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

        signal.signal(signal.SIGTERM, on_terminate)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    return directory


def main():
    # Python put this directory first on sys.path: nothing here is for debugpy to import.
    if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
        del sys.path[0]

    # Like "python -m debugpy.adapter": debugpy's adapter module imports nothing else of debugpy.
    from debugpy.adapter import __main__ as adapter_main

    args = adapter_main._parse_argv(sys.argv)
    if args.port is not None or args.for_server is not None:
        sys.exit("adapter.py: DAP over stdio only (no --port, no --for-server)")

    # What debugpy's main() does first, before its logging module (imported below) takes
    # sys.stderr: stderr is not read from in stdio mode, a full pipe would block the adapter.
    sys.stderr = stderr = open(os.devnull, "w")
    atexit.register(stderr.close)

    local_sockets = _load_local_sockets()
    directory = _socket_directory(local_sockets)
    os.environ[local_sockets.SOCKET_DIR_VARIABLE] = directory.path
    local_sockets.serve_unix_only(directory)

    try:
        locale.setlocale(locale.LC_ALL, "")
    except Exception:
        pass

    adapter_main.main(args)


if __name__ == "__main__":
    main()
