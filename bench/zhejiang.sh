# bench/zhejiang.sh — sourced by the benchmarks (not run on its own): builds the
# synthetic Zhejiang they measure in "$dir/z.db" (1,387 townships, 1,365
# stations, ~14,000 workers, 1,000,000 service records), checkpointed and
# analysed, and a home "$dir/home" whose only policy is the city's, so that
# every county follows it. Needs $sws, $root and $dir.
zhejiang_setup() {
    "$sws" generate --townships "$root/data/zhejiang_townships.csv" \
        --counties "$root/data/zhejiang_counties.csv" --out "$dir/gen" --services 1000000 >/dev/null
    "$sws" --db "$dir/z.db" init >/dev/null
    "$sws" --db "$dir/z.db" --no-plugins import counties "$root/data/zhejiang_counties.csv" >/dev/null
    "$sws" --db "$dir/z.db" --no-plugins import townships "$root/data/zhejiang_townships.csv" >/dev/null
    for kind in townships villages stations plans rooms facilities institutions workers \
                trainings worktime contacts mentoring volunteers volunteer_service orgs charity \
                clients services funding county_reports; do
        "$sws" --db "$dir/z.db" --no-plugins import $kind "$dir/gen/$kind.csv" >/dev/null
    done
    sqlite3 "$dir/z.db" 'PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;' >/dev/null
    mkdir -p "$dir/home/policies"
    cp "$root/policies/default.lua" "$dir/home/policies/"
}
