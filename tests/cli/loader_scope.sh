#!/usr/bin/env bash
# Loaders read code only from the project's policies/ and plugins/ folders
# (and an admin script's own folder): sws.policy.extend and require() resolve
# nothing else, links that lead out are not followed, and a syntax error in a
# file loaded on another file's behalf never quotes its text.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/policies" "$H/plugins" "$W/outside"
cp "$SWS_HOME/policies/default.lua" "$H/policies/"
printf 'secret_token_123 = = 1\n' > "$W/outside/secret.lua"
ln -s "$W/outside/secret.lua" "$H/policies/linked.lua"
printf 'local = mobile_13912345678\n' > "$H/policies/broken.lua"
export SWS_HOME="$H"
run 0 "$SWS" --db x.db init

for base in "$W/outside/secret.lua" "../../outside/secret" "linked" "/etc/passwd"; do
    printf 'return sws.policy.extend("%s", {})\n' "$base" > "$W/p.lua"
    run 1 "$SWS" --db x.db policy check "$W/p.lua"
    has "$W/err" "not found: a policy extends a policy of the project's policies/ or plugins/ folder"
    ! grep -q "secret_token\|root:" "$W/err" "$W/out" || fail "extend('$base') echoed the file"
done

printf 'return sws.policy.extend("broken", {})\n' > "$W/p.lua"
run 1 "$SWS" --db x.db policy check "$W/p.lua"
has "$W/err" "policies/broken.lua:1:" "(the text there is not shown)"
! grep -q "mobile_139" "$W/err" || fail "the syntax error quoted the base file"

# require: an admin script may load a module next to it (its administrator's
# file), but a link in plugins/ that leads out is not followed, and a plugin
# loads nothing from outside plugins/ and policies/
printf 'return 1\n' > "$W/outside/helper.lua"
printf 'assert(require("helper") == 1) print("ok")\n' > "$W/outside/script.lua"
run 0 "$SWS" --db x.db run "$W/outside/script.lua"
mkdir -p "$W/elsewhere"
ln -s "$W/outside/helper.lua" "$H/plugins/helper.lua"
printf 'return require("helper")\n' > "$W/elsewhere/script.lua"
run 1 "$SWS" --db x.db run "$W/elsewhere/script.lua"
has "$W/err" "module 'helper' not found in the project's plugins/ or policies/"
mkdir -p "$H/plugins/needy"
printf 'return { name = "needy", version = "1", api = 1, counties = "*" }\n' > "$H/plugins/needy/manifest.lua"
printf 'require("helper")\n' > "$H/plugins/needy/init.lua"
run 0 "$SWS" --db x.db plugin list
grep -qE "needy .*module 'helper' not found" "$W/out" || { cat "$W/out"; fail "a plugin followed a link out"; }
printf 'return 7\n' > "$H/plugins/real.lua"
printf 'assert(require("real") == 7) print("ok")\n' > "$W/outside/script.lua"
run 0 "$SWS" --db x.db run "$W/outside/script.lua"
printf 'local x = = secret_token_123\n' > "$H/plugins/bad.lua"
printf 'require("bad")\n' > "$W/outside/script.lua"
run 1 "$SWS" --db x.db run "$W/outside/script.lua"
has "$W/err" "module 'bad'" "(the text there is not shown)"
! grep -q secret_token "$W/err" || fail "require echoed the module's text"
echo "loaders stay inside policies/ and plugins/"
