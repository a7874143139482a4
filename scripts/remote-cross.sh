#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/remote-cross.sh - the forwarding suite across OSes (docs/wire.md):
# the Windows test_remote.exe (under Wine) against a Linux bsdsockd, and
# the Linux test_remote against bsdsockd.exe under Wine. Wine's sockets are
# host sockets, so the two meet on 127.0.0.1. In this mode the suite's
# scenario compares the client OS's local results with the server OS's,
# call for call. Then transparent mode: the unchanged example tcp_client
# (built for Linux with bsdsock::compat_remote, and for Windows with the
# BSD drop-in), its sockets in the other OS's bsdsockd, talks to the
# example echo_server on Linux; and the Winsock example winsock_client,
# built for Linux, with its sockets in bsdsockd.exe. Every process runs under `timeout`; the servers listen on
# 127.0.0.1 port 0 and write the port to a file. Prints one line per run
# and exits non-zero if one failed.
#
#   scripts/remote-cross.sh [LINUX_BUILD_DIR [WINDOWS_BUILD_DIR]]
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
lin=${1:-$top/build/linux}
win=${2:-$top/build/windows}
wine_run=$top/scripts/wine-run
export WINEDEBUG=-all

work=$(mktemp -d "${TMPDIR:-/tmp}/bsdsock-cross.XXXXXX")
server=
echo_srv=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$echo_srv" ] && kill "$echo_srv" 2>/dev/null && wait "$echo_srv" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$token" >"$work/token"
failed=0

# start_server NAME PORTFILE COMMAND...: runs a server in the background
# and waits (up to 60 s: Wine starts slowly) for its port.
start_server() {
  local name=$1 portfile=$2
  shift 2
  timeout 600 "$@" >"$work/$name.out" 2>"$work/$name.err" &
  server=$!
  for _ in $(seq 1 600); do
    [ -s "$portfile" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  [ -s "$portfile" ] || { echo "FAIL  $name: no port"; cat "$work/$name.err"; return 1; }
  port=$(tr -d '\r\n' <"$portfile")
}

stop_server() {
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  server=
}

# run NAME COMMAND...: the suite against the server on $port.
run() {
  local name=$1
  shift
  if BSDSOCK_TEST_REMOTE=127.0.0.1:$port BSDSOCK_TEST_TOKEN=$token \
       timeout 600 "$@" >"$work/$name.log" 2>&1; then
    echo "ok    $name: $(grep -E 'PASSED|cross-OS' "$work/$name.log" | tr '\n' ' ')"
  else
    echo "FAIL  $name"
    grep -E '^!!|ERROR|FAILED|cannot' "$work/$name.log" | head -n 20
    failed=$((failed + 1))
  fi
}

# free_port: a TCP port nothing on 127.0.0.1 is bound to right now.
free_port() {
  python3 -c "import socket
s = socket.socket()
s.bind(('127.0.0.1', 0))
print(s.getsockname()[1])"
}

# transparent NAME CLIENT...: transparent mode (docs/wire.md): the
# unchanged example tcp_client, its sockets in the bsdsockd on $port,
# talks to the example echo_server running natively on Linux on
# 127.0.0.1 (Wine shares the host's loopback), and must print the echo.
transparent() {
  local name=$1 eport msg before after
  shift
  before=$(cat "$work"/*-server.err 2>/dev/null | grep -c ' calls, ')
  eport=$(free_port)
  msg="hello from $name"
  timeout 60 "$lin/examples/echo_server" "$eport" 1 >"$work/echo.log" 2>&1 &
  echo_srv=$!
  for _ in $(seq 1 50); do
    grep -q listening "$work/echo.log" 2>/dev/null && break
    sleep 0.1
  done
  if BSDSOCK_REMOTE=127.0.0.1:$port BSDSOCK_TOKEN=$token \
       timeout 120 "$@" 127.0.0.1 "$eport" "$msg" >"$work/$name.log" 2>&1 &&
     grep -q "client: received '$msg'" "$work/$name.log"; then
    # The server logs the session when the client has gone: proof that
    # the sockets were the server's, not the client's own.
    for _ in $(seq 1 50); do
      after=$(cat "$work"/*-server.err 2>/dev/null | grep -c ' calls, ')
      [ "$after" -gt "$before" ] && break
      sleep 0.1
    done
  fi
  if [ "${after:-0}" -gt "$before" ]; then
    echo "ok    $name: $(grep received "$work/$name.log" | tr -d '\r')"
  else
    echo "FAIL  $name"
    head -n 20 "$work/$name.log"
    failed=$((failed + 1))
  fi
  kill "$echo_srv" 2>/dev/null
  wait "$echo_srv" 2>/dev/null
  echo_srv=
}

if start_server linux-server "$work/port-linux" \
     "$lin/programs/bsdsockd/bsdsockd" --token-file "$work/token" \
     --port-file "$work/port-linux" --max-sockets 24 --max-sessions 12 \
     --hello-timeout 1000; then
  run "windows client, linux bsdsockd" "$wine_run" "$win/tests/test_remote.exe"
  transparent "windows tcp_client, sockets in a linux bsdsockd" \
    "$wine_run" "$win/examples/tcp_client.exe"
  stop_server
else
  failed=$((failed + 1))
fi

if start_server windows-server "$work/port-windows" \
     "$wine_run" "$win/programs/bsdsockd/bsdsockd.exe" \
     --token-file "Z:$work/token" --port-file "Z:$work/port-windows" \
     --max-sockets 24 --max-sessions 12 --hello-timeout 1000; then
  run "linux client, windows bsdsockd" "$lin/tests/test_remote"
  transparent "linux tcp_client, sockets in a windows bsdsockd" \
    "$lin/examples/tcp_client_remote"
  transparent "linux winsock_client, sockets in a windows bsdsockd" \
    "$lin/examples/winsock_client"
  stop_server
else
  failed=$((failed + 1))
fi

echo "remote-cross: $((5 - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
