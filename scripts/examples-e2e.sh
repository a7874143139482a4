#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/examples-e2e.sh - end-to-end runs of the examples across OSes.
#
# Runs after both presets are built (cmake --build build/linux and
# build/windows). Each server runs natively on Linux and as a Windows
# build under Wine, and talks to clients of both kinds: Wine's sockets are
# host sockets, so a Windows client and a Linux server meet on 127.0.0.1.
# The same unchanged sources are behind both builds (BSD programs through
# bsdsock's compat headers on Windows, Winsock programs through them on
# Linux; the wsa_* corpus is written as Windows programmers write Win32
# socket code, <windows.h> and all). Every process runs under `timeout`;
# ports are free ports found by binding port 0 on 127.0.0.1. Prints one line per check and a closing
# "N passed, N failed"; exits non-zero if any check failed.
#
#   scripts/examples-e2e.sh [LINUX_BUILD_DIR [WINDOWS_BUILD_DIR]]
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
lin=${1:-$top/build/linux}/examples
win=${2:-$top/build/windows}/examples
wine_run=$top/scripts/wine-run
export WINEDEBUG=-all

work=$(mktemp -d "${TMPDIR:-/tmp}/bsdsock-e2e.XXXXXX")
pids=()
passed=0
failed=0

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# command OS NAME: sets $cmd to run one example under `timeout`, natively
# or under Wine.
command_for() {
  if [ "$1" = linux ]; then
    cmd=(timeout 30 "$lin/$2")
  else
    cmd=(timeout 60 "$wine_run" "$win/$2.exe")
  fi
}

# run OS NAME ARGS...: one example in the foreground.
run() {
  command_for "$1" "$2"
  shift 2
  "${cmd[@]}" "$@"
}

# start OS NAME LOG ARGS...: one example in the background; $started is
# the pid of its `timeout`, which passes a kill on to the example.
start() {
  local log=$3
  command_for "$1" "$2"
  shift 3
  "${cmd[@]}" "$@" >"$log" 2>&1 &
  started=$!
  pids+=("$started")
}

# finish PID: waits up to 30 s for a background process to exit, then
# stops it; $status is its exit status (143 if it had to be stopped).
finish() {
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  status=$?
}

# check_status NAME LOG: a PASS if the last finish saw exit status 0.
check_status() {
  echo "exit status $status" >>"$2"
  check "$1" "$2" "exit status 0"
}

# free_port tcp|udp: a port nothing of that kind is bound to right now.
free_port() {
  local kind=SOCK_STREAM
  [ "$1" = udp ] && kind=SOCK_DGRAM
  python3 -c "import socket
s = socket.socket(socket.AF_INET, socket.$kind)
s.bind(('127.0.0.1', 0))
print(s.getsockname()[1])" 2>/dev/null || echo $((20000 + RANDOM % 20000))
}

# wait_for LOG PATTERN PID: up to 60 s for PATTERN to appear in LOG,
# while process PID (the one writing LOG) is still running.
wait_for() {
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  grep -q -- "$2" "$1" 2>/dev/null
}

# serve KIND OS NAME LOG READY ARGS...: starts a server on a free port
# (its first argument) and waits for READY in LOG. Another process can
# take the port between the probe and the bind, so a server that did not
# get ready gets two more ports. Sets $port and $srv; fails if the server
# never got ready.
serve() {
  local kind=$1 os=$2 name=$3 log=$4 ready=$5 try
  shift 5
  for try in 1 2 3; do
    port=$(free_port "$kind")
    start "$os" "$name" "$log" "$port" "$@"
    srv=$started
    wait_for "$log" "$ready" "$srv" && return 0
    finish "$srv"
  done
  return 1
}

# check NAME LOG PATTERN: a PASS if LOG contains PATTERN.
check() {
  if grep -q -- "$3" "$2" 2>/dev/null; then
    echo "PASS  $1"
    passed=$((passed + 1))
  else
    echo "FAIL  $1 (expected \"$3\" in $(basename "$2"))"
    sed 's/^/      | /' "$2" 2>/dev/null | tail -n 15
    for f in "$work"/*.log; do
      [ "$f" = "$2" ] && continue
      echo "      $(basename "$f"):"
      sed 's/^/      | /' "$f" | tail -n 8
    done
    failed=$((failed + 1))
  fi
}

other() { [ "$1" = linux ] && echo windows || echo linux; }

fresh() { rm -f "$work"/*.log; }

for exe in "$lin/showip" "$win/showip.exe"; do
  if [ ! -f "$exe" ]; then
    echo "FAIL  $exe is missing: build both presets first"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# ---- showip --------------------------------------------------------------

for os in linux windows; do
  fresh
  run "$os" showip 127.0.0.1 >"$work/showip.log" 2>&1
  check "showip on $os" "$work/showip.log" "IPv4: 127.0.0.1"
done

# ---- chat servers: one client listens, another sends ---------------------

# chat SERVER SERVER_OS LISTENER_OS SENDER_OS
chat() {
  local server=$1 sos=$2 los=$3 tos=$4 lst
  fresh
  if ! serve tcp "$sos" "$server" "$work/server.log" listening 2; then
    check "$server on $sos: starts" "$work/server.log" "listening"
    finish "$srv"
    return
  fi
  start "$los" tcp_client "$work/listener.log" 127.0.0.1 "$port"
  lst=$started
  wait_for "$work/server.log" "new connection" "$lst"
  run "$tos" tcp_client 127.0.0.1 "$port" "hello from $tos" \
    >"$work/sender.log" 2>&1
  finish "$lst"
  check "$server on $sos relays a $tos client's line to a $los client" \
    "$work/listener.log" "received 'hello from $tos'"
  finish "$srv"
  check_status "$server on $sos exits after both clients left" \
    "$work/server.log"
}

for server in select_server poll_server; do
  for sos in linux windows; do
    chat "$server" "$sos" "$(other "$sos")" "$(other "$sos")"
    chat "$server" "$sos" "$sos" "$(other "$sos")"
  done
done

# ---- echo servers: each answers clients of both OSes ---------------------

# echo_run SERVER SERVER_OS CLIENT...: CLIENT is os:program
echo_run() {
  local server=$1 sos=$2 c os prog
  shift 2
  fresh
  if ! serve tcp "$sos" "$server" "$work/server.log" listening $#; then
    check "$server on $sos: starts" "$work/server.log" "listening"
    finish "$srv"
    return
  fi
  for c in "$@"; do
    os=${c%%:*}
    prog=${c#*:}
    run "$os" "$prog" 127.0.0.1 "$port" "echo to $os $prog" \
      >"$work/$os-$prog.log" 2>&1
    check "$server on $sos echoes a $os $prog" "$work/$os-$prog.log" \
      "received 'echo to $os $prog'"
  done
  finish "$srv"
  check_status "$server on $sos exits after $# clients" "$work/server.log"
}

for sos in linux windows; do
  o=$(other "$sos")
  echo_run winsock_echo_server "$sos" "$o:winsock_client" "$o:tcp_client" \
    "$sos:winsock_client"
  echo_run echo_server "$sos" "$o:echo_client" "$o:winsock_client" \
    "$sos:echo_client"
  echo_run epoll_echo_server "$sos" "$o:echo_client" "$o:tcp_client" \
    "$sos:echo_client"
done

# ---- UDP ----------------------------------------------------------------

for los in linux windows; do
  tos=$(other "$los")
  fresh
  if serve udp "$los" udp_listener "$work/listener.log" waiting; then
    run "$tos" udp_talker 127.0.0.1 "$port" "hello udp from $tos" \
      >"$work/talker.log" 2>&1
  fi
  finish "$srv"
  check "udp_listener on $los gets a $tos udp_talker's datagram" \
    "$work/listener.log" "packet contains \"hello udp from $tos\""
done

# ---- the Win32 corpus: programs written as Windows programmers do --------

# An IP-version-agnostic server with one socket per family (127.0.0.1 and
# ::1), select() over them, in TCP and in UDP mode; clients of both OSes
# over both families.
for sos in linux windows; do
  for proto in tcp udp; do
    fresh
    if ! serve "$proto" "$sos" wsa_dual_server "$work/server.log" ready \
      -p "$proto" -i 127.0.0.1 -i ::1 -n 4; then
      check "wsa_dual_server $proto on $sos: starts" "$work/server.log" ready
      finish "$srv"
      continue
    fi
    for cos in "$(other "$sos")" "$sos"; do
      for host in 127.0.0.1 ::1; do
        run "$cos" wsa_dual_client -p "$proto" "$host" "$port" \
          "$proto $host from $cos" >"$work/client.log" 2>&1
        check "wsa_dual_server $proto on $sos echoes a $cos client over $host" \
          "$work/client.log" "received '$proto $host from $cos'"
      done
    done
    finish "$srv"
    check_status "wsa_dual_server $proto on $sos exits after 4 clients" \
      "$work/server.log"
  done
done

# A server restarted at once on its port: the previous one closed its
# connection first, so the port is held in TIME_WAIT, which Windows (and
# the drop-in on Linux) lets a new listener bind; a live listener still
# keeps its port (10048, WSAEADDRINUSE).
for sos in linux windows; do
  cos=$(other "$sos")
  fresh
  if ! serve tcp "$sos" wsa_dual_server "$work/server.log" ready \
    -i 127.0.0.1 -n 1; then
    check "wsa_dual_server on $sos: starts" "$work/server.log" ready
    finish "$srv"
    continue
  fi
  run "$cos" wsa_dual_client 127.0.0.1 "$port" "first run" \
    >"$work/client.log" 2>&1
  check "wsa_dual_server on $sos: first run echoes a $cos client" \
    "$work/client.log" "received 'first run'"
  finish "$srv"
  start "$sos" wsa_dual_server "$work/restart.log" "$port" -i 127.0.0.1 -n 1
  srv=$started
  wait_for "$work/restart.log" ready "$srv"
  check "wsa_dual_server on $sos: restarted at once over its TIME_WAIT port" \
    "$work/restart.log" ready
  run "$sos" wsa_dual_server "$port" -i 127.0.0.1 -n 1 \
    >"$work/second.log" 2>&1
  check "wsa_dual_server on $sos: a second one on the live port gets 10048" \
    "$work/second.log" "bind failed with error 10048"
  run "$cos" wsa_dual_client 127.0.0.1 "$port" "second run" \
    >"$work/client.log" 2>&1
  check "wsa_dual_server on $sos: the restarted one echoes a $cos client" \
    "$work/client.log" "received 'second run'"
  finish "$srv"
done

# Clients against a server that is not running print Winsock's numbers.
# UDP is checked on Linux only: Wine 8 never reports the ICMP port
# unreachable to a connected UDP socket (the receive times out, 10060),
# where Windows says 10054 (tests/test_compat_winsock.c).
for cos in linux windows; do
  fresh
  port=$(free_port tcp)
  run "$cos" wsa_dual_client 127.0.0.1 "$port" nobody >"$work/client.log" 2>&1
  check "wsa_dual_client on $cos against a stopped server: 10061" \
    "$work/client.log" "connect failed with error 10061"
done
fresh
port=$(free_port udp)
run linux wsa_dual_client -p udp 127.0.0.1 "$port" nobody \
  >"$work/client.log" 2>&1
check "wsa_dual_client udp on linux against a stopped server: 10054" \
  "$work/client.log" "recv failed with error 10054"

# The IPv4-only textbook pair: gethostbyname on both sides.
for sos in linux windows; do
  cos=$(other "$sos")
  fresh
  if ! serve tcp "$sos" wsa_v4_server "$work/server.log" listening \
    localhost 2; then
    check "wsa_v4_server on $sos: starts" "$work/server.log" listening
    finish "$srv"
    continue
  fi
  run "$cos" wsa_v4_client localhost "$port" "v4 from $cos" \
    >"$work/client.log" 2>&1
  check "wsa_v4_server on $sos echoes a $cos wsa_v4_client (localhost)" \
    "$work/client.log" "received 'echo: v4 from $cos'"
  run "$sos" wsa_v4_client 127.0.0.1 "$port" "v4 from $sos" \
    >"$work/client.log" 2>&1
  check "wsa_v4_server on $sos echoes a $sos wsa_v4_client (127.0.0.1)" \
    "$work/client.log" "received 'echo: v4 from $sos'"
  finish "$srv"
  check_status "wsa_v4_server on $sos exits after 2 clients" \
    "$work/server.log"
done

# A name the resolver refuses without asking a DNS server (a label longer
# than 63 characters): WSAHOST_NOT_FOUND from gethostbyname on both OSes.
bad_name="$(printf 'a%.0s' $(seq 70)).invalid"
for cos in linux windows; do
  fresh
  run "$cos" wsa_v4_client "$bad_name" 7 x >"$work/client.log" 2>&1
  check "wsa_v4_client on $cos: an unresolvable name gives 11001" \
    "$work/client.log" "gethostbyname failed with error 11001"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
