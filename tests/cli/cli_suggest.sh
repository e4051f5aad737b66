#!/bin/bash
# cli_suggest.sh — a mistyped command, subcommand, option or import kind is
# refused (exit 2) with the nearest known one suggested, and every command
# refuses options that do not apply to it.
set -eu
. "$(dirname "$0")/testlib.bash"

# commands: suggested even where there is no database
run 2 "$SWS" chek
has "$W/err" "no command 'chek' (did you mean 'check'?)"
run 2 "$SWS" --db "$W/none.db" wrkflow status
has "$W/err" "did you mean 'workflow'?"
run 2 "$SWS" help polcy
has "$W/err" "did you mean 'policy'?"
# far from every command: no suggestion, still an error
run 2 "$SWS" xyzzyplugh
has "$W/err" "no command 'xyzzyplugh'; "
lacks "$W/err" "did you mean"

# import kinds
run 2 "$SWS" import worker
has "$W/err" "no kind 'worker' (did you mean 'workers'?)"
run 2 "$SWS" import townshps x.csv
has "$W/err" "did you mean 'townships'?"

# subcommands (a swap of two letters is one edit)
run 2 "$SWS" workflow stauts
has "$W/err" "no subcommand 'stauts' (did you mean 'status'?)"
run 2 "$SWS" policy shwo 330302
has "$W/err" "did you mean 'show'?"
run 2 "$SWS" eval scroe --year 2022
has "$W/err" "did you mean 'score'?"

# global options
run 2 "$SWS" --dbb x.db init
has "$W/err" "unknown option '--dbb' (did you mean '--db'?)"
run 2 "$SWS" --verbse help
has "$W/err" "did you mean '--verbose'?"

# command options, and options that belong to another subcommand
run 2 "$SWS" check --yaer 2022
has "$W/err" "no option '--yaer' (did you mean '--year'?)"
run 2 "$SWS" workflow status --format json
has "$W/err" "status takes no option '--format'"
run 2 "$SWS" workflow status --county 330302 --as-f 2022-01-01
has "$W/err" "did you mean '--as-of'?"
run 2 "$SWS" eval explain 330302006 --year 2022 --county 330302
has "$W/err" "explain takes no option '--county'"
run 2 "$SWS" summary --county 330302
has "$W/err" "summary: no option '--county'"
run 2 "$SWS" init --force
has "$W/err" "init: no option '--force'"
run 2 "$SWS" import workers w.csv --skip-bda r.csv
has "$W/err" "did you mean '--skip-bad'?"
# nothing was created by any of the refused commands
[ ! -e "$W/none.db" ] && [ ! -e "$W/sws.db" ] || fail "a refused command created a database"

# --help still answers for every command
run 0 "$SWS" workflow status --help
has "$W/out" "usage: sws [--db PATH] workflow"

echo "ok"
