#!/usr/bin/env bash
# Azora on one host without Docker: the ten services as supervised background processes against
# your PostgreSQL, with logs and PID files under a run directory.
#
#   ./start-production.sh start [service]     checks, installs, builds, bootstraps, starts, waits
#   ./start-production.sh stop [service]      SIGTERM, waits, and says what it had to kill
#   ./start-production.sh status              one line per service; exit 0 when all are ready
#   ./start-production.sh restart [service]   stop, then start
#   ./start-production.sh logs <service> [-f]
#
# Settings come from the environment and from $AZORA_ENV_FILE (default .env.production, the
# shell's variables win): DATABASE_URL (a superuser URL, required), HOST, AZORA_GATEWAY_HOST,
# AZORA_PORT_OFFSET, AZORA_DATA_DIR (keys and role passwords), AZORA_RUN_DIR (logs, PIDs),
# AZORA_READY_TIMEOUT and AZORA_STOP_TIMEOUT (seconds), AZORA_SKIP_BUILD=1 (use the tree as it is
# built). Each service gets the environment npm start would give it: its own role, its own key.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SELF="$ROOT/start-production.sh"
OPS="$ROOT/infrastructure/ops/azora-ops.js"

# The catalog (packages/contracts/src/services.ts), Nexus first: the others subscribe to it.
SERVICES=(azora-nexus azora-education azora-mint azora-forge ai-family-service azora-pay
  notification-service analytics-service monitoring-service api-gateway)
declare -A PORTS=([azora-nexus]=3000 [azora-education]=3001 [azora-mint]=3002 [azora-forge]=3003
  [ai-family-service]=3004 [azora-pay]=3010 [notification-service]=3011 [analytics-service]=3012
  [monitoring-service]=3013 [api-gateway]=4000)
MIN_NODE=20.19
MAX_BACKOFF=60
STABLE_AFTER=60

say() { printf '%s\n' "$*"; }
die() {
  printf 'start-production.sh: %s\n' "$*" >&2
  exit 1
}

# NAME=value lines of an env file, exported unless the environment already sets the name.
load_env_file() {
  local file=$1 line name value
  [[ -r $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    value=${value%"${value##*[![:space:]]}"}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    if [[ -n $value && -z ${!name:-} ]]; then export "$name=$value"; fi
  done <"$file"
}

load_settings() {
  if [[ -n ${AZORA_ENV_FILE:-} ]]; then
    [[ -r $AZORA_ENV_FILE ]] || die "AZORA_ENV_FILE=$AZORA_ENV_FILE cannot be read"
    load_env_file "$AZORA_ENV_FILE"
  else
    load_env_file "$ROOT/.env.production"
  fi
  RUN_DIR=${AZORA_RUN_DIR:-$ROOT/.run}
  DATA_DIR=${AZORA_DATA_DIR:-$ROOT/.data/production}
  READY_TIMEOUT=${AZORA_READY_TIMEOUT:-90}
  STOP_TIMEOUT=${AZORA_STOP_TIMEOUT:-30}
  mkdir -p "$RUN_DIR"/{logs,pids,env,restarts}
  chmod 700 "$RUN_DIR" "$RUN_DIR/env"
}

is_known() {
  local name
  for name in "${SERVICES[@]}"; do [[ $name == "$1" ]] && return 0; done
  return 1
}

# The services a command names: the one given, or all of them.
selected() {
  if [[ -n ${1:-} ]]; then
    is_known "$1" || die "unknown service '$1' (one of: ${SERVICES[*]})"
    SELECTED=("$1")
  else
    SELECTED=("${SERVICES[@]}")
  fi
}

# --- processes ---------------------------------------------------------------------------------

# Whether pid runs a command line containing the marker (a PID file may outlive its process, and
# its number may be reused).
runs() {
  local pid=$1 marker=$2
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

supervisor_pid() {
  local pid
  pid=$(cat "$RUN_DIR/pids/$1.supervisor" 2>/dev/null) || return 1
  runs "$pid" "__supervise $1" && printf '%s' "$pid"
}

service_pid() {
  local pid
  pid=$(cat "$RUN_DIR/pids/$1.pid" 2>/dev/null) || return 1
  runs "$pid" "dist/server.js" && printf '%s' "$pid"
}

url_of() { sed -n "s/^$1 //p" "$RUN_DIR/urls" 2>/dev/null; }

# The HTTP status of GET <url>, or 000; plain bash, so it works where curl is not installed.
http_status() {
  local url=$1 rest host port path
  rest=${url#http://}
  host=${rest%%/*}
  path=/${rest#*/}
  [[ $rest == */* ]] || path=/
  port=${host##*:}
  host=${host%:*}
  # shellcheck disable=SC2016 # the inner shell expands its own arguments
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$3" "$1" >&3
    IFS=" " read -r _ status _ <&3 && printf "%s" "$status"' _ "$host" "$port" "$path" 2>/dev/null || printf '000'
}

log_event() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$RUN_DIR/logs/supervisor.log"; }

# One service under supervision: restarted with doubling back-off (1 s up to 60 s, back to 1 s
# once it ran for a minute) until SIGTERM, which it passes on and waits out.
supervise() {
  local service=$1 child='' code delay=1 started ran count stopping=0 vars=()
  local log="$RUN_DIR/logs/$service.log"
  trap 'stopping=1; [[ -n $child ]] && kill -TERM "$child" 2>/dev/null' TERM INT
  printf '%s' "$$" >"$RUN_DIR/pids/$service.supervisor"
  while ((stopping == 0)); do
    mapfile -d '' -t vars <"$RUN_DIR/env/$service.env"
    started=$SECONDS
    (cd "$ROOT/services/$service" && exec env -i "${vars[@]}" "$AZORA_NODE" dist/server.js) >>"$log" 2>&1 &
    child=$!
    printf '%s' "$child" >"$RUN_DIR/pids/$service.pid"
    code=0
    wait "$child" || code=$?
    # A trapped signal interrupts wait: wait again until the service itself has exited.
    while kill -0 "$child" 2>/dev/null; do wait "$child" || code=$?; done
    child=''
    rm -f "$RUN_DIR/pids/$service.pid"
    ((stopping == 0)) || break
    ran=$((SECONDS - started))
    ((ran < STABLE_AFTER)) || delay=1
    count=$(($(cat "$RUN_DIR/restarts/$service" 2>/dev/null || echo 0) + 1))
    printf '%s' "$count" >"$RUN_DIR/restarts/$service"
    log_event "$service exited with code $code after ${ran}s; restart $count in ${delay}s"
    printf '[start-production.sh] exited with code %s after %ss; restarting in %ss\n' "$code" "$ran" "$delay" >>"$log"
    sleep "$delay" &
    wait $! || true
    delay=$((delay * 2 > MAX_BACKOFF ? MAX_BACKOFF : delay * 2))
  done
  log_event "$service stopped"
  rm -f "$RUN_DIR/pids/$service.supervisor"
}

# --- start ---------------------------------------------------------------------------------------

check_prerequisites() {
  AZORA_NODE=$(command -v node) || die "node is not installed (Node.js $MIN_NODE or newer)"
  local version
  version=$("$AZORA_NODE" -p 'process.versions.node')
  [[ $(printf '%s\n%s\n' "$MIN_NODE" "$version" | sort -V | head -n1) == "$MIN_NODE" ]] ||
    die "Node.js $version is too old: $MIN_NODE or newer is needed"
  [[ -n ${DATABASE_URL:-} ]] ||
    die "DATABASE_URL is not set: give the superuser URL of your PostgreSQL 14+ (in the environment or $ROOT/.env.production)"
  local re='^postgres(ql)?://([^@/]*@)?(\[[^]/]+\]|[^:/?]+)(:([0-9]+))?'
  [[ $DATABASE_URL =~ $re ]] || die "DATABASE_URL must be a postgres:// URL with a host"
  local host=${BASH_REMATCH[3]} port=${BASH_REMATCH[5]:-5432}
  host=${host#[}
  host=${host%]}
  # shellcheck disable=SC2016 # the inner shell expands its own arguments
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null ||
    die "PostgreSQL at $host:$port (DATABASE_URL) is not reachable"
  if [[ $(id -u) == 0 ]]; then say "note: running as root; a user of its own for Azora keeps the services from the rest of the host"; fi
}

# npm ci, build, then production dependencies only, when the lockfile or the source changed
# since the last build (AZORA_SKIP_BUILD=1: the tree is used as it is).
install_and_build() {
  local service
  if [[ ${AZORA_SKIP_BUILD:-} != 1 ]]; then
    local stamp="$RUN_DIR/build.stamp" fingerprint
    fingerprint=$(cd "$ROOT" && {
      sha256sum package-lock.json
      git rev-parse HEAD 2>/dev/null || true
      git status --porcelain 2>/dev/null || true
    } | sha256sum | cut -d' ' -f1)
    if [[ $(cat "$stamp" 2>/dev/null) != "$fingerprint" ]]; then
      say "installing dependencies and building (log: $RUN_DIR/logs/build.log)"
      (cd "$ROOT" && {
        npm ci --no-audit --no-fund &&
          TURBO_TELEMETRY_DISABLED=1 npx turbo run build --output-logs=errors-only &&
          npm prune --omit=dev --no-audit --no-fund
      } >>"$RUN_DIR/logs/build.log" 2>&1) || die "the install or build failed: see $RUN_DIR/logs/build.log"
      printf '%s' "$fingerprint" >"$stamp"
    fi
  fi
  for service in "${SERVICES[@]}"; do
    [[ -f $ROOT/services/$service/dist/server.js ]] || die "services/$service is not built (run without AZORA_SKIP_BUILD)"
  done
}

# Roles, schemas and migrations, then each service's environment (its own role and key).
provision() {
  local offset=${AZORA_PORT_OFFSET:-0} host=${HOST:-127.0.0.1} gateway_host service reach
  [[ $offset =~ ^[0-9]+$ ]] || die "AZORA_PORT_OFFSET must be a non-negative integer"
  gateway_host=${AZORA_GATEWAY_HOST:-$host}
  (cd "$ROOT" && "$AZORA_NODE" "$OPS" check-database) || die "cannot log in with DATABASE_URL"
  mkdir -p "$DATA_DIR"
  (cd "$ROOT" && "$AZORA_NODE" "$OPS" bootstrap --passwords-file "$DATA_DIR/role-passwords.json") \
    >>"$RUN_DIR/logs/bootstrap.log" 2>&1 || die "the bootstrap failed: see $RUN_DIR/logs/bootstrap.log"
  (cd "$ROOT" && "$AZORA_NODE" "$OPS" service-env --data-dir "$DATA_DIR" --out "$RUN_DIR/env") ||
    die "cannot build the services' environments"
  : >"$RUN_DIR/urls"
  for service in "${SERVICES[@]}"; do
    reach=$host
    [[ $service == api-gateway ]] && reach=$gateway_host
    [[ $reach == 0.0.0.0 ]] && reach=127.0.0.1
    printf '%s http://%s:%s\n' "$service" "$reach" "$((PORTS[$service] + offset))" >>"$RUN_DIR/urls"
  done
}

launch() {
  local service=$1 pid waited=0
  if pid=$(supervisor_pid "$service"); then
    say "$service is already running (supervisor $pid)"
    return 0
  fi
  : >"$RUN_DIR/restarts/$service"
  rm -f "$RUN_DIR/pids/$service.supervisor"
  # Its own session (no terminal's Ctrl-C reaches it), a minimal environment, no lock held.
  env -i PATH="$PATH" HOME="${HOME:-/}" AZORA_RUN_DIR="$RUN_DIR" AZORA_NODE="$AZORA_NODE" \
    setsid "$BASH" "$SELF" __supervise "$service" </dev/null >/dev/null 2>&1 9>&- &
  while ! supervisor_pid "$service" >/dev/null; do
    ((waited++ < 50)) || die "the supervisor of $service did not start"
    sleep 0.1
  done
}

# Waits until every named service answers /ready 200, or the deadline passes.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) service pending
  while :; do
    pending=()
    for service in "$@"; do
      [[ $(http_status "$(url_of "$service")/ready") == 200 ]] || pending+=("$service")
    done
    ((${#pending[@]} == 0)) && return 0
    ((SECONDS < deadline)) || {
      say "not ready after ${READY_TIMEOUT}s: ${pending[*]} (see ./start-production.sh logs <service>)"
      return 1
    }
    sleep 0.5
  done
}

start() {
  selected "${1:-}"
  check_prerequisites
  install_and_build
  provision
  local service ok=0 others=()
  if is_selected azora-nexus; then
    launch azora-nexus
    wait_ready azora-nexus || ok=1
  fi
  for service in "${SELECTED[@]}"; do
    [[ $service == azora-nexus ]] && continue
    launch "$service"
    others+=("$service")
  done
  if ((${#others[@]} > 0)); then wait_ready "${others[@]}" || ok=1; fi
  status || true
  return "$ok"
}

is_selected() {
  local name
  for name in "${SELECTED[@]}"; do [[ $name == "$1" ]] && return 0; done
  return 1
}

# --- stop, status, logs ----------------------------------------------------------------------------

stop_one() {
  local service=$1 supervisor child deadline
  supervisor=$(supervisor_pid "$service") || supervisor=''
  child=$(service_pid "$service") || child=''
  [[ -n $supervisor || -n $child ]] || return 0
  [[ -n $supervisor ]] && kill -TERM "$supervisor" 2>/dev/null
  [[ -z $supervisor && -n $child ]] && kill -TERM "$child" 2>/dev/null
  deadline=$((SECONDS + STOP_TIMEOUT))
  while runs "$supervisor" "__supervise $service" || runs "$child" dist/server.js; do
    if ((SECONDS >= deadline)); then
      say "$service did not stop within ${STOP_TIMEOUT}s: killed"
      log_event "$service killed after ${STOP_TIMEOUT}s"
      kill -KILL "$child" "$supervisor" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$RUN_DIR/pids/$service.pid" "$RUN_DIR/pids/$service.supervisor"
  say "$service stopped"
}

# Nexus last, so the others' outboxes drain into it while they stop.
stop() {
  selected "${1:-}"
  local service pids=()
  for service in "${SELECTED[@]}"; do
    [[ $service == azora-nexus ]] && continue
    stop_one "$service" &
    pids+=("$!")
  done
  ((${#pids[@]} == 0)) || wait "${pids[@]}"
  if is_selected azora-nexus; then stop_one azora-nexus; fi
}

status() {
  local service url pid state restarts all_ready=0
  printf '%-22s %-28s %-8s %-18s %s\n' service url pid state restarts
  for service in "${SERVICES[@]}"; do
    url=$(url_of "$service")
    pid=$(service_pid "$service") || pid='-'
    if [[ $pid == - ]]; then
      if supervisor_pid "$service" >/dev/null; then state=restarting; else state=stopped; fi
    elif [[ $(http_status "$url/ready") == 200 ]]; then
      state=ready
    else
      state='running, not ready'
    fi
    [[ $state == ready ]] || all_ready=1
    restarts=$(cat "$RUN_DIR/restarts/$service" 2>/dev/null || true)
    printf '%-22s %-28s %-8s %-18s %s\n' "$service" "${url:--}" "$pid" "$state" "${restarts:-0}"
  done
  return "$all_ready"
}

logs() {
  [[ -n ${1:-} ]] || die "usage: start-production.sh logs <service> [-f]"
  is_known "$1" || die "unknown service '$1' (one of: ${SERVICES[*]})"
  local file="$RUN_DIR/logs/$1.log"
  [[ -f $file ]] || die "no log yet for $1 ($file)"
  if [[ ${2:-} == -f ]]; then tail -n "${AZORA_LOG_LINES:-100}" -F "$file"; else tail -n "${AZORA_LOG_LINES:-100}" "$file"; fi
}

# Start, stop and restart change the run directory: one at a time.
exclusive() {
  exec 9>"$RUN_DIR/.lock"
  flock -n 9 || die "another start-production.sh start, stop or restart is running"
}

main() {
  local command=${1:-}
  shift || true
  if [[ $command == __supervise ]]; then
    RUN_DIR=$AZORA_RUN_DIR
    supervise "$1"
    return
  fi
  case $command in
    start | stop | restart | status | logs) load_settings ;;
    *)
      sed -n '2,16s/^# \{0,1\}//p' "$SELF"
      [[ -z $command || $command == help ]] && return 0
      return 2
      ;;
  esac
  case $command in
    start) exclusive && start "${1:-}" ;;
    stop) exclusive && stop "${1:-}" ;;
    restart) exclusive && stop "${1:-}" && start "${1:-}" ;;
    status) status ;;
    logs) logs "${1:-}" "${2:-}" ;;
  esac
}

main "$@"
