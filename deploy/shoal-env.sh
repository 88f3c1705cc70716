# Shared by deploy/up and deploy/down (sourced, not run).

SHOAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# SHOAL_HOME holds data, logs, keys and pid files; an absolute path, because the pid checks below
# look for it in process command lines.
resolve_shoal_home() {
  SHOAL_HOME="${SHOAL_HOME:-$SHOAL_ROOT/.shoal}"
  # Tokens and keys live here: a new SHOAL_HOME is for its owner only.
  [[ -d "$SHOAL_HOME" ]] || mkdir -p -m 700 "$SHOAL_HOME"
  SHOAL_HOME="$(cd "$SHOAL_HOME" && pwd)"
  export SHOAL_HOME
  PID_DIR="$SHOAL_HOME/pids"
}

# True when the pid is alive and its command line names this SHOAL_HOME: every process the
# launcher starts carries -Dshoal.home=... (PostgreSQL its data directory), so a pid reused by an
# unrelated process is never signalled.
is_ours() {
  local pid="$1" args
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null)" || return 1
  [[ "$args" == *"$SHOAL_HOME"* ]]
}

recorded_pid() {
  local file="$PID_DIR/$1.pid"
  [[ -f "$file" ]] && tr -dc '0-9' <"$file"
}

# wait_gone PID SECONDS: true once the process is gone.
wait_gone() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Stops the launcher (which stops its children in order), then anything recorded that is still
# alive: a child left by a launcher that was killed outright.
stop_recorded() {
  local pid name file
  pid="$(recorded_pid launcher || true)"
  if [[ -n "$pid" ]] && is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    # The launcher gives the agent, the services and Kafka up to a minute each while they write
    # their class-data archives on their first run (ClassDataArchives), 20 s otherwise.
    if ! wait_gone "$pid" 180; then
      echo "the launcher (pid $pid) did not stop within 180 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || true
    fi
  fi
  rm -f "$PID_DIR/launcher.pid"
  # Services and the agent, then Kafka, then PostgreSQL (SIGINT is its fast shutdown).
  for name in $(ls "$PID_DIR" 2>/dev/null | sed -n 's/\.pid$//p' | grep -vx -e kafka -e postgres) kafka postgres; do
    file="$PID_DIR/$name.pid"
    [[ -f "$file" ]] || continue
    pid="$(recorded_pid "$name" || true)"
    if [[ -n "$pid" ]] && is_ours "$pid"; then
      echo "stopping $name (pid $pid)"
      if [[ "$name" == postgres ]]; then kill -INT "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
      if ! wait_gone "$pid" 30; then
        echo "$name (pid $pid) did not stop within 30 s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || true
      fi
    fi
    rm -f "$file"
  done
  rm -f "$SHOAL_HOME/ready"
}
