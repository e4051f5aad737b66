#!/bin/bash
# cli_import_docs.sh — docs/import.md stays true to the code: every import
# KIND has a section listing each of its columns, every accepted term of an
# enumeration appears with its Chinese name, and every section names a real KIND.
set -eu
. "$(dirname "$0")/testlib.bash"

DOC="$SWS_HOME/docs/import.md"
[ -f "$DOC" ] || fail "no $DOC"

run 0 "$SWS" import --help
kinds=$(tr '\n' ' ' <"$W/out" | sed -e 's/.*KIND is one of: //' -e 's/\. .*//' | tr -d ',')
[ "$(echo "$kinds" | wc -w)" -ge 20 ] || fail "could not read the kinds from the help: $kinds"

for k in $kinds; do
    run 0 "$SWS" import "$k" --help
    # the section of this kind: from its heading to the next heading
    awk -v h="### $k" '$0 == h { on = 1; next } /^#/ { on = 0 } on' "$DOC" >"$W/section"
    [ -s "$W/section" ] || fail "docs/import.md has no section '### $k'"
    # column lines are indented by two spaces, term lines by many more
    for col in $(grep -E '^  [a-z_]+ ' "$W/out" | awk '{ print $1 }'); do
        grep -qF "| \`$col\` |" "$W/section" || fail "docs/import.md: $k lacks column $col"
        required=no
        grep -qE "^  $col +\*" "$W/out" && required=yes
        if [ $required = yes ]; then
            grep -qF "| \`$col\` | yes |" "$W/section" || fail "docs: $k.$col should be required"
        else
            grep -qF "| \`$col\` | |" "$W/section" || fail "docs: $k.$col should be optional"
        fi
    done
    grep -E '^ {20,}[a-z_]+ ' "$W/out" | while read -r code label; do
        grep -qF "| \`$code\` | $label |" "$DOC" || fail "docs/import.md lacks term $code ($label)"
    done
done

# and no section for a kind that does not exist
awk '/^## The kinds/ { on = 1; next } /^## / { on = 0 } on && /^### / { print $2 }' "$DOC" \
    >"$W/documented"
[ -s "$W/documented" ] || fail "no kinds documented"
while read -r k; do
    case " $kinds " in *" $k "*) ;; *) fail "docs/import.md documents unknown kind $k" ;; esac
done <"$W/documented"

echo "ok"
