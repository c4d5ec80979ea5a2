#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed, N skipped".
# Browser tests need Chromium and the scheduler's cluster tests need PostgreSQL: this script installs
# Debian's packages when they are missing and it can, and runs a throwaway PostgreSQL for the run.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
  exit 2
fi

find_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then echo "$CHROMIUM_PATH"; return 0; fi
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if ! chromium=$(find_chromium); then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing Chromium for the browser tests (Debian package 'chromium')..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if ! chromium=$(find_chromium); then
    echo "No Chromium found. Install one (Debian/Ubuntu: 'sudo apt-get install -y chromium') or set CHROMIUM_PATH to a Chromium binary, then run ./test.sh again." >&2
    exit 2
  fi
fi
export CHROMIUM_PATH="$chromium"

# A throwaway PostgreSQL server (decision 018): a cluster in a temp folder on a free loopback port,
# stopped and removed when this script ends. A server of your own: set UNIFYADMIN_TEST_POSTGRES to an
# Npgsql connection string whose user may create databases, and this part is skipped.
find_postgres() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  local dir
  # Debian keeps the server binaries off PATH, in a folder per major version.
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  return 1
}

# initdb and the server refuse to run as root: as root they run as the package's 'postgres' user.
as_postgres() {
  if [ "$(id -u)" = "0" ]; then (cd "$pg_dir" && runuser -u postgres -- "$@"); else "$@"; fi
}

stop_postgres() {
  if [ -n "${pg_dir:-}" ] && [ -d "$pg_dir" ]; then
    [ -f "$pg_dir/data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$pg_dir"
  fi
}

if [ -z "${UNIFYADMIN_TEST_POSTGRES:-}" ]; then
  if ! pg_bin=$(find_postgres); then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
      echo "Installing PostgreSQL for the scheduler's cluster tests (Debian package 'postgresql')..."
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    if ! pg_bin=$(find_postgres); then
      echo "No PostgreSQL found. Install it (Debian/Ubuntu: 'sudo apt-get install -y postgresql') or set UNIFYADMIN_TEST_POSTGRES to a connection string, then run ./test.sh again." >&2
      exit 2
    fi
  fi

  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/unifyadmin-pg.XXXXXX")
  trap stop_postgres EXIT
  [ "$(id -u)" = "0" ] && chown postgres: "$pg_dir"
  if ! as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1; then
    cat "$pg_dir/initdb.log" >&2
    echo "Could not create the test PostgreSQL cluster." >&2
    exit 2
  fi

  pg_port=""
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    # Something answering there already: try another.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    # Throwaway data: durability settings off, which makes the scheduler's many small commits cheap.
    if as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
      pg_port=$port
      break
    fi
  done
  if [ -z "$pg_port" ]; then
    tail -n 20 "$pg_dir/server.log" >&2 2>/dev/null
    echo "Could not start the test PostgreSQL server." >&2
    exit 2
  fi
  export UNIFYADMIN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  echo "PostgreSQL for the cluster tests on 127.0.0.1:$pg_port"
fi

rm -rf TestResults
mkdir -p TestResults

if ! dotnet build UnifyAdmin.sln -nologo -clp:ErrorsOnly; then
  echo "The build failed; no tests ran." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test UnifyAdmin.sln --no-build --nologo \
  --logger "trx;LogFileName=results.trx" \
  --logger "console;verbosity=minimal" \
  --results-directory TestResults
status=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in TestResults/*.trx TestResults/*/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failing test (e.g. a crash): count it so the line never reads green.
  failed=1
fi

echo "Screenshots of the browser journeys: TestResults/screenshots/"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
