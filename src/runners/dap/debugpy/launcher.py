"""Runs debugpy's launcher with the adapter's Unix sockets (see local_sockets.py).

The launch request names this file as ``debugLauncherPath``; the adapter starts it as
``<python> <this file> <port> -- <program> <args>``, where it would start debugpy's launcher
directory. It then behaves like debugpy's launcher, except that:

1. its connect to the adapter (``127.0.0.1:<port>``) goes to the Unix socket ``<port>`` in the
   adapter's socket directory, named by the environment (inherited from the adapter);
2. the debuggee's command line carries no ``--adapter-access-token``: the token goes into the
   debuggee's environment instead, where bootstrap.py takes it back.
"""

import importlib.util
import locale
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_local_sockets():
    spec = importlib.util.spec_from_file_location("_debug_server_local_sockets", os.path.join(HERE, "local_sockets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _adapter_port(argv):
    """The port of the launcher's first argument, ``[host:]port``."""
    return int(argv[1].rpartition(":")[2])


# Output category of the event that names the signal that ended the debuggee (keep in sync with
# debugpy.ts). DAP's "exited" carries a number only, and debugpy folds a signal into 256 - N,
# which a program can also exit with.
EXIT_SIGNAL_CATEGORY = "debug-server.exitSignal"


def _report_exit_signal(debuggee):
    """Before "exited", tells the runner (an output event) the signal that killed the debuggee."""
    import signal

    from debugpy import launcher

    original_wait_for_exit = debuggee.wait_for_exit

    def wait_for_exit():
        process = debuggee.process
        original_wait = process.wait if process is not None else None

        def wait(*args, **kwargs):
            code = original_wait(*args, **kwargs)
            if code is not None and code < 0:
                try:
                    name = signal.Signals(-code).name
                    launcher.channel.send_event("output", {"category": EXIT_SIGNAL_CATEGORY, "output": name})
                except Exception:  # noqa: BLE001 - never keep the exit from being reported
                    pass
            return code

        if original_wait is not None:
            process.wait = wait
        return original_wait_for_exit()

    debuggee.wait_for_exit = wait_for_exit


def main():
    if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
        del sys.path[0]

    local_sockets = _load_local_sockets()
    socket_dir = os.environ.get(local_sockets.SOCKET_DIR_VARIABLE)
    local_sockets.connect_through_directory(_adapter_port(sys.argv), socket_dir)

    from debugpy.launcher import __main__ as launcher_main
    from debugpy.launcher import debuggee

    spawn = debuggee.spawn

    def spawn_without_token_argument(process_name, cmdline, env, *args, **kwargs):
        # debugpy's launcher main() left the program and its arguments in sys.argv[1:]: they end
        # the debuggee's command line.
        cmdline = local_sockets.move_access_token_to_env(cmdline, env, sys.argv[1:])
        return spawn(process_name, cmdline, env, *args, **kwargs)

    debuggee.spawn = spawn_without_token_argument
    _report_exit_signal(debuggee)

    try:
        locale.setlocale(locale.LC_ALL, "")
    except Exception:
        pass

    launcher_main.main()


if __name__ == "__main__":
    main()
