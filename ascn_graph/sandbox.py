"""The confinement of a query worker process: it cannot reach the network and cannot
use more than its share of memory.

:func:`no_network` makes Python's socket module refuse to connect, switches off
rdflib's loading of ``FROM`` graphs and, through :func:`block_inet_sockets`,
has the kernel refuse the process any IPv4 or IPv6 socket (a seccomp filter, on
Linux x86-64 and arm64), so that not even Oxigraph's own HTTP client can open
one; :func:`cap_memory` caps its address space. Both are for a worker process,
called once at its start: neither can be undone in the process that calls them.

The filter is a short classic-BPF program that ends in a return; no jump in it
(0x15, 0x35) leaves it, and its returns (0x06) are "allow" once and "deny"
(EACCES) otherwise:

>>> program = _socket_filter(*_SECCOMP_ARCHES["x86_64"][:2])
>>> len(program), program[-1][0] == 0x06
(13, True)
>>> all(i + 1 + max(jt, jf) < len(program)
...     for i, (code, jt, jf, _) in enumerate(program) if code in (0x15, 0x35))
True
>>> [hex(k) for code, _, _, k in program if code == 0x06]
['0x5000d', '0x5000d', '0x7fff0000', '0x5000d']
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import socket
import struct
import sys

import rdflib.plugins.sparql as rdflib_sparql

_SECCOMP_ARCHES = {  # audit arch, socket(2), seccomp(2)
    "x86_64": (0xC000003E, 41, 317),
    "aarch64": (0xC00000B7, 198, 277),
}
_IO_URING_SETUP = 425


def _socket_filter(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """A classic BPF program for seccomp: socket(AF_INET or AF_INET6, ...) and io_uring
    fail with EACCES, as does any call from another ABI; everything else is allowed."""
    load, equal, at_least, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EACCES
    return [
        (load, 0, 0, 4), (equal, 1, 0, arch), (ret, 0, 0, deny),  # seccomp_data.arch
        (load, 0, 0, 0), (at_least, 0, 1, 0x40000000), (ret, 0, 0, deny),  # nr; x32 calls
        (equal, 5, 0, _IO_URING_SETUP), (equal, 0, 3, socket_nr),
        (load, 0, 0, 16), (equal, 2, 0, socket.AF_INET), (equal, 1, 0, socket.AF_INET6),
        (ret, 0, 0, allow), (ret, 0, 0, deny),
    ]


def block_inet_sockets() -> bool:
    """Have the kernel refuse this process (and its threads and children) any IPv4 or
    IPv6 socket, so no code in it, Oxigraph's HTTP client included, can reach the
    network. False where it cannot be done (not Linux x86-64 or arm64, or seccomp
    unavailable); the lexical guard (:mod:`ascn_graph.query_guard`) still stands then."""
    found = _SECCOMP_ARCHES.get(platform.machine())
    if found is None or sys.byteorder != "little" or not sys.platform.startswith("linux"):
        return False
    arch, socket_nr, seccomp_nr = found
    program = _socket_filter(arch, socket_nr)
    code = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *op) for op in program))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    fprog = Program(len(program), ctypes.addressof(code))
    for flags in (1, 0):  # SECCOMP_FILTER_FLAG_TSYNC where the kernel knows it
        if libc.syscall(seccomp_nr, 1, flags, ctypes.byref(fprog)) == 0:  # SET_MODE_FILTER
            return True
    return False


def no_network() -> bool:
    """Make any outbound connection from this process fail, and rdflib load nothing;
    True when the kernel enforces it too (:func:`block_inet_sockets`)."""

    def refuse(*_args, **_kwargs):
        raise OSError("outbound connections are disabled in the query worker")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    return block_inet_sockets()


def cap_memory(megabytes: int) -> None:
    """Cap this process's address space at what it uses now plus ``megabytes``; past it an
    allocation fails (a MemoryError in Python) rather than the machine running short."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass

