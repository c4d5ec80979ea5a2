#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed, N skipped".
# Browser tests need Chromium: this script installs Debian's package when it is missing and it can.
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
