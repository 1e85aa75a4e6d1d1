#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, stopping at the first failure.
#   1. types (tsc)   2. lint (eslint), format (prettier)   3. a throw-away PostgreSQL 15 (unless TEST_DATABASE_URL is set)
#   4. vitest: unit tests, then integration tests on PGlite and on PostgreSQL
#   5. e2e: next build + Playwright in Debian's Chromium (skipped until e2e/ has specs)
#   6. scale-out and fault tests on that build (tests/scale; PgBouncer, its own PostgreSQL)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh

export NEXT_TELEMETRY_DISABLED=1

started_at=$SECONDS
current_step=""
step_started_at=$SECONDS
timings=()

on_exit() {
  local status=$?
  stop_throwaway_postgres
  if [ "$status" -ne 0 ]; then
    echo
    if [ -n "$current_step" ]; then
      echo "FAILED: $current_step (after $((SECONDS - step_started_at))s; exit code $status)"
    fi
    print_timings
    echo "npm test: FAILED in $((SECONDS - started_at))s (exit code $status)"
  fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

step() {
  current_step="$1"
  step_started_at=$SECONDS
  echo
  echo "==> $current_step"
}

step_done() {
  local seconds=$((SECONDS - step_started_at))
  timings+=("$(printf '%-52s %4ss' "$current_step" "$seconds")")
  echo "--> $current_step: ${seconds}s"
  current_step=""
}

print_timings() {
  local line
  [ "${#timings[@]}" -eq 0 ] && return 0
  echo "Step timings:"
  for line in "${timings[@]}"; do echo "  $line"; done
}

step "typecheck (tsc --noEmit)"
npx tsc --noEmit
step_done

step "lint (eslint .)"
npx eslint .
step_done

step "format (prettier --check .)"
npx prettier --check . --log-level warn
step_done

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo
  echo "==> Using the PostgreSQL at TEST_DATABASE_URL (set by the caller)"
else
  step "start a throw-away PostgreSQL 15"
  start_throwaway_postgres
  echo "TEST_DATABASE_URL=$TEST_DATABASE_URL"
  step_done
fi

step "vitest (unit, integration on PGlite and PostgreSQL)"
npx vitest run
step_done

# The Playwright suite is written alongside the app; until it exists there is nothing to run.
has_e2e_specs() {
  [ -f playwright.config.ts ] || return 1
  [ -n "$(find e2e -type f \( -name '*.spec.ts' -o -name '*.test.ts' \) -print -quit 2>/dev/null)" ]
}

if has_e2e_specs; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "Chromium is missing: apt-get install -y chromium" >&2
    exit 1
  fi

  step "next build"
  npx next build
  step_done

  step "e2e (playwright test)"
  npx playwright test
  step_done

  step "scale-out and faults (tests/scale: 2 instances, worker, PgBouncer)"
  npx vitest run --config vitest.scale.config.ts
  step_done
else
  echo
  echo "==> e2e: skipped (no playwright.config.ts with specs in e2e/ yet)"
fi

echo
print_timings
echo "npm test: all steps passed in $((SECONDS - started_at))s"
