"""Unix stream sockets in a private directory in place of debugpy's TCP sockets on 127.0.0.1.

debugpy's adapter listens on 127.0.0.1 for its launcher and for pydevd (the debuggee's side), and
both connect there: any local user can connect to such a port. Here the adapter (adapter.py)
creates a fresh directory, mode 0700, and every listener becomes a Unix socket in it, named after
a small fake port number. debugpy keeps seeing ``("127.0.0.1", port)`` everywhere: the listener
reports it from ``getsockname()`` and ``accept()``, the port travels on the launcher's and the
debuggee's command lines as before, and the launcher (launcher.py) and the debuggee
(bootstrap.py) turn their ``connect(("127.0.0.1", port))`` into a connect to ``<dir>/<port>``.

The directory reaches the launcher and the debuggee through the environment (the adapter's is
the launcher's, the launcher's the debuggee's), in a variable clients cannot set.

The adapter's access token, which debugpy passes on the debuggee's command line, travels the same
way: launcher.py moves ``--adapter-access-token TOKEN`` into the debuggee's environment and
bootstrap.py puts it back into ``sys.argv``. A command line is readable by every local user
(/proc/PID/cmdline), an environment only by the process's own user.

adapter.py, launcher.py and bootstrap.py load this file from their own directory by path (the
directory may be mounted anywhere, e.g. in a sandbox), never through sys.path.
"""

import itertools
import os
import shutil
import socket
import stat
import tempfile
import threading

# Names a client cannot set in a debuggee's environment (the server rejects DEBUG_SERVER_*).
SOCKET_DIR_VARIABLE = "DEBUG_SERVER_DEBUGPY_SOCKETS"
ACCESS_TOKEN_VARIABLE = "DEBUG_SERVER_DEBUGPY_ACCESS_TOKEN"

ACCESS_TOKEN_SWITCH = "--adapter-access-token"
HOST = "127.0.0.1"
LOCAL_HOSTS = ("127.0.0.1", "localhost")


# ---- adapter side -------------------------------------------------------------------------------


class UnixListener(object):
    """A listening Unix socket that looks like debugpy's TCP listener on ``(HOST, port)``.

    ``getsockname()`` is ``(HOST, port)``; ``accept()`` returns ``(connection, (HOST, 0))``
    (debugpy unpacks the peer address as a host/port pair; a Unix peer has only ``""``).
    ``close()`` also removes the socket file, and wakes a thread blocked in ``accept()``.
    """

    def __init__(self, sock, path, port):
        self._sock = sock
        self._path = path
        self._port = port
        self._closed = False
        self._lock = threading.Lock()

    def getsockname(self):
        return (HOST, self._port)

    def accept(self):
        connection, _ = self._sock.accept()
        return connection, (HOST, 0)

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            os.unlink(self._path)
        except OSError:
            pass
        try:
            # Ends an accept() under way in another thread (close() alone would not: the kernel
            # keeps the socket listening until that accept() returns).
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def __repr__(self):
        return "<UnixListener {0} as {1}:{2}>".format(self._path, HOST, self._port)


class SocketDirectory(object):
    """The adapter's private socket directory: a fresh ``tempfile.mkdtemp()``, mode 0700."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="debugpy-")
        os.chmod(self.path, 0o700)
        # Small numbers: below 1024, so a connect that ever went to TCP would reach no unprivileged
        # listener.
        self._ports = itertools.count(1)
        # Reentrant: remove() also runs from a signal handler, in whatever the main thread was doing.
        self._lock = threading.RLock()
        self._removed = False

    def listen(self, backlog=socket.SOMAXCONN, timeout=None):
        """A new :class:`UnixListener` on the next fake port."""
        with self._lock:
            # A socket bound while remove() ran would keep the directory (and itself) on disk.
            if self._removed:
                raise OSError("the debug adapter is exiting")
            port = next(self._ports)
            path = os.path.join(self.path, str(port))
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(path)
                if timeout is not None:
                    sock.settimeout(timeout)
                sock.listen(backlog)
            except Exception:
                sock.close()
                raise
        return UnixListener(sock, path, port)

    def remove(self):
        """Removes the directory and its sockets; no listener is made in it afterwards."""
        with self._lock:
            self._removed = True
            shutil.rmtree(self.path, ignore_errors=True)


class NoListener(object):
    """Stands in for the adapter's client listener, which a stdio adapter does not open."""

    def getsockname(self):
        return (HOST, 0)

    def close(self):
        pass


def serve_unix_only(directory):
    """Makes the adapter listen on Unix sockets in ``directory`` only, and not for clients.

    debugpy calls ``clients.serve()`` even when its client talks over stdio (the listener would
    let any local user attach a second client, and run code through "attach" by PID); then
    ``sockets.create_server()`` for the servers (pydevd) and the launcher listeners.
    """
    from debugpy.adapter import clients
    from debugpy.common import sockets

    def create_server(host, port=0, backlog=socket.SOMAXCONN, timeout=None):
        return directory.listen(backlog if backlog and backlog > 0 else socket.SOMAXCONN, timeout)

    def serve_clients(host, port):
        clients.listener = NoListener()
        return clients.listener.getsockname()

    sockets.create_server = create_server
    clients.serve = serve_clients


# ---- launcher and debuggee side -----------------------------------------------------------------


def _unix_path(socket_dir, port):
    path = os.path.join(socket_dir, str(port))
    try:
        if stat.S_ISSOCK(os.stat(path).st_mode):
            return path
    except OSError:
        pass
    return None


def connect_through_directory(port, socket_dir, on_connected=None):
    """Redirects the next ``connect((HOST, port))`` to the Unix socket ``<socket_dir>/<port>``.

    The socket keeps its Python object (pydevd and debugpy hold on to it): a connected Unix socket
    takes over its file descriptor (``dup2``). ``socket.socket.connect`` is restored after that
    one connect; ``on_connected(sock)`` runs then, and an exception from it is ignored. Without
    ``socket_dir`` (an adapter of debugpy's own), the connect stays TCP, with TCP_NODELAY set.
    """
    original_connect = socket.socket.connect
    lock = threading.Lock()
    done = []

    def connect(self, address, *args, **kwargs):
        if not (
            isinstance(address, tuple)
            and len(address) >= 2
            and address[0] in LOCAL_HOSTS
            and address[1] == port
            and self.type == socket.SOCK_STREAM
        ):
            return original_connect(self, address, *args, **kwargs)
        with lock:
            if done:
                return original_connect(self, address, *args, **kwargs)
            done.append(True)
            if socket.socket.connect is connect:
                socket.socket.connect = original_connect
        if socket_dir is None:
            result = original_connect(self, address, *args, **kwargs)
            try:
                # pydevd writes a message as two sendall() calls: with Nagle's algorithm the second
                # waits for the ACK of the first, which the peer delays by ~40 ms.
                self.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except (OSError, AttributeError):
                pass
        else:
            path = _unix_path(socket_dir, port)
            if path is None:
                raise ConnectionRefusedError("no debug adapter socket {0}".format(os.path.join(socket_dir, str(port))))
            unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                unix.settimeout(self.gettimeout())
                original_connect(unix, path)
                os.dup2(unix.fileno(), self.fileno(), inheritable=False)
            finally:
                unix.close()
            # The descriptor now refers to another open file: apply the timeout's blocking mode to it.
            self.settimeout(self.gettimeout())
            result = None
        if on_connected is not None:
            try:
                on_connected(self)
            except Exception:  # noqa: BLE001 - extras must never break the connection
                pass
        return result

    socket.socket.connect = connect


def move_access_token_to_env(cmdline, env, program_args):
    """Moves ``--adapter-access-token TOKEN`` from a debuggee command line into its environment.

    Only debugpy's part of the command line is searched (everything before ``program_args``, the
    program and its arguments, which are the command line's tail). Returns the new command line.
    """
    head_length = len(cmdline) - len(program_args)
    if head_length < 0 or list(cmdline[head_length:]) != list(program_args):
        head_length = len(cmdline)
    head = list(cmdline[:head_length])
    if ACCESS_TOKEN_SWITCH not in head:
        return list(cmdline)
    index = head.index(ACCESS_TOKEN_SWITCH)
    if index + 1 >= len(head):
        return list(cmdline)
    env[ACCESS_TOKEN_VARIABLE] = head[index + 1]
    del head[index : index + 2]
    return head + list(cmdline[head_length:])


def restore_access_token(argv, token):
    """``argv`` (``<debugpy dir> --connect ... <program> ...``) with the token switch put back."""
    return argv[:1] + [ACCESS_TOKEN_SWITCH, token] + argv[1:]
