#!/bin/bash
# cli_import_sheets.sh — imports from real spreadsheets: GBK/GB18030 files
# (converted with --encoding, detected once per file without it), Chinese
# column headers, Excel's date forms, --template, --dry-run, unknown header
# columns (an error with a suggestion, or --ignore-unknown), a column left
# out never clearing a stored value, NUL bytes, and the service-date window.
set -eu
. "$(dirname "$0")/testlib.bash"

D="$SWS_TEST_DATA/check"
DB="$W/city.db"
run 0 "$SWS" --db "$DB" init
run 0 "$SWS" --db "$DB" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 0 "$SWS" --db "$DB" import townships "$D/townships.csv"
run 0 "$SWS" --db "$DB" import stations "$D/stations.csv"

# --- a GBK export with Chinese headers and Excel dates --------------------
printf '编号,工作站,姓名,岗位,入职日期,手机\nG1,330303001,张三,resident,2021/3/7,13812345678\nG2,330303001,李四,resident,2021年12月1日,\nG3,330303001,王五,resident,2021-3-9,\n' \
    | iconv -f UTF-8 -t GBK >"$W/gbk.csv"
# without --encoding: refused once for the whole file, naming the encoding to give
run 1 "$SWS" --db "$DB" import workers "$W/gbk.csv"
has "$W/err" "gbk.csv:1: header: this file looks like GB18030 (GBK), not UTF-8; add --encoding gb18030"
eq "$(grep -c . "$W/err")" 1 "lines of the GBK error"
eq "$(q "$DB" "SELECT count(*) FROM worker")" 0 "workers after the refused GBK file"
# with it: converted, Chinese headers matched, dates stored as ISO
run 0 "$SWS" --db "$DB" import workers "$W/gbk.csv" --encoding gbk
has "$W/out" "imported 3 of 3 rows into worker"
eq "$(q "$DB" "SELECT code || ' ' || name || ' ' || hired FROM worker ORDER BY code" | tr '\n' ';')" \
    "G1 张三 2021-03-07;G2 李四 2021-12-01;G3 王五 2021-03-09;" "workers from the GBK file"
eq "$(q "$DB" "SELECT phone_masked FROM worker WHERE code = 'G1'")" "138****5678" "masked phone"
# gb18030 is accepted too; anything else is refused with the accepted forms
run 0 "$SWS" --db "$DB" import workers "$W/gbk.csv" --encoding GB18030
run 1 "$SWS" --db "$DB" import workers "$W/gbk.csv" --encoding big5
has "$W/err" "--encoding big5: not one of gbk, gb18030, utf-8"
# a byte that is not GBK: the row is refused, naming its line
printf 'code,station,name,role\nG4,330303001,\xff\xff,resident\n' >"$W/badgbk.csv"
run 1 "$SWS" --db "$DB" import workers "$W/badgbk.csv" --encoding gbk
has "$W/err" "badgbk.csv:2:" "not valid GBK"

# --- both header forms, as the template writes them -----------------------
run 0 "$SWS" import workers --template "$W/tpl.csv"
has "$W/out" "template for workers written"
head -n 1 "$W/tpl.csv" | grep -qF '编码(code),工作站(station),名称(name),岗位(role)' \
    || fail "template header: $(head -n 1 "$W/tpl.csv")"
eq "$(wc -l <"$W/tpl.csv")" 2 "template lines"
# the example row is valid: a dry run of it stores nothing and finds nothing wrong
sed -i 's/330302006/330303001/' "$W/tpl.csv" # a station of this database
run 0 "$SWS" --db "$DB" import workers "$W/tpl.csv" --dry-run
has "$W/out" "dry run: 1 of 1 row would be imported into worker, 0 bad; nothing was written"
eq "$(q "$DB" "SELECT count(*) FROM worker")" 3 "workers after the dry run"
# a template never overwrites a file
run 1 "$SWS" import workers --template "$W/tpl.csv"
has "$W/err" "never overwrites"
for k in counties townships stations workers trainings services scores; do
    run 0 "$SWS" import $k --template "$W/tpl-$k.csv"
done

# --- --dry-run lists every bad row and writes nothing ---------------------
printf 'code,station,name,role\nG5,330303001,赵六,resident\nG6,339999999,钱七,resident\nG7,330303001,孙八,nobody\n' >"$W/mixed.csv"
run 3 "$SWS" --db "$DB" import workers "$W/mixed.csv" --dry-run
has "$W/out" "1 of 3 rows would be imported into worker, 2 bad; nothing was written"
has "$W/err" "mixed.csv:3:" "mixed.csv:4:"
eq "$(q "$DB" "SELECT count(*) FROM worker")" 3 "workers after a dry run with bad rows"
run 2 "$SWS" --db "$DB" import workers "$W/mixed.csv" --dry-run --skip-bad "$W/r.csv"
has "$W/err" "leave out --skip-bad"

# --- unknown columns -------------------------------------------------------
q "$DB" "UPDATE worker SET phone_masked = '138****5678', qualification = 'social_worker' WHERE code = 'G2'"
printf 'code,station,name,role,phnoe\nG2,330303001,李四,resident,13912345678\n' >"$W/typo.csv"
run 1 "$SWS" --db "$DB" import workers "$W/typo.csv"
has "$W/err" "typo.csv:1: header: unknown column 'phnoe' (did you mean 'phone'?) for workers"
has "$W/err" "--ignore-unknown"
# accepted explicitly: the misspelt column is left out, and the stored phone
# (and every other column the file does not have) is kept
run 0 "$SWS" --db "$DB" import workers "$W/typo.csv" --ignore-unknown
has "$W/out" "(1 unknown column ignored)"
eq "$(q "$DB" "SELECT phone_masked || ' ' || qualification FROM worker WHERE code = 'G2'")" \
    "138****5678 social_worker" "stored values after a re-import without their columns"
# a column that is given empty still clears (that is what the file says)
printf 'code,station,name,role,phone\nG2,330303001,李四,resident,\n' >"$W/clear.csv"
run 0 "$SWS" --db "$DB" import workers "$W/clear.csv"
eq "$(q "$DB" "SELECT coalesce(phone_masked, 'NULL') FROM worker WHERE code = 'G2'")" "NULL" \
    "phone after an import that empties it"
# a Chinese header with a typo is suggested its alias
printf '编号,工作站,姓名,岗味\nG9,330303001,周九,resident\n' >"$W/zhtypo.csv"
run 1 "$SWS" --db "$DB" import workers "$W/zhtypo.csv"
has "$W/err" "unknown column '岗味' (did you mean '岗位'?)"

# --- NUL bytes: an error naming line and column, never a cut value --------
printf 'code,station,name,role\nG8,330303001,周\0九,resident\n' >"$W/nul.csv"
run 1 "$SWS" --db "$DB" import workers "$W/nul.csv"
has "$W/err" "nul.csv:2: column 3 ('name') holds a NUL byte"
eq "$(q "$DB" "SELECT count(*) FROM worker WHERE code = 'G8'")" 0 "worker with a NUL byte"

# --- dates: calendar, window, Excel forms ---------------------------------
run 0 "$SWS" --db "$DB" import workers "$D/workers.csv"
{
    echo "station,worker,date,domain,method,hours"
    echo "330303001,W1,2022/4/1,elderly_care,case,2"        # 2 ok, Excel form
    echo "330303001,W1,2022-02-30,elderly_care,case,2"      # 3 no such day
    echo "330303001,W1,1948-12-31,elderly_care,case,2"      # 4 before 1949
    echo "330303001,W1,1949-01-01,elderly_care,case,2"      # 5 the first day allowed
    echo "330303001,W1,2024-12-31,elderly_care,case,2"      # 6 as-of year + 1: allowed
    echo "330303001,W1,2025-01-01,elderly_care,case,2"      # 7 after it
} >"$W/dates.csv"
run 3 "$SWS" --db "$DB" import services "$W/dates.csv" --as-of 2023-06-30 --dry-run
has "$W/err" "dates.csv:3: column 'date' \"2022-02-30\": is not a real calendar date" \
    "dates.csv:4: column 'date' \"1948-12-31\": must fall between 1949-01-01 and 2024-12-31" \
    "dates.csv:7: column 'date' \"2025-01-01\": must fall between 1949-01-01 and 2024-12-31"
lacks "$W/err" "dates.csv:2:" "dates.csv:5:" "dates.csv:6:"
run 2 "$SWS" --db "$DB" import services "$W/dates.csv" --as-of 2023-02-30
has "$W/err" "--as-of \"2023-02-30\": is not a real calendar date"

# --- re-importing a kind that appends: identical rows are skipped ---------
{
    echo "worker,date,hours,topic"
    echo "W1,2022-03-10,10,督导"
    echo "W1,2022-03-10,10,督导" # the same twice in one file: both stored (two sessions)
    echo "W1,2022-06-10,8,伦理"
} >"$W/train.csv"
run 0 "$SWS" --db "$DB" import trainings "$W/train.csv"
has "$W/out" "imported 3 of 3 rows into training"
lacks "$W/out" "identical"
run 0 "$SWS" --db "$DB" import trainings "$W/train.csv"
has "$W/out" "imported 0 of 3 rows into training; 3 rows identical to stored ones skipped"
has "$W/err" "train.csv:2: identical to a row already stored; skipped"
eq "$(q "$DB" "SELECT count(*) FROM training")" 3 "trainings after a re-import"
# a changed row is new; --dry-run reports the same without storing
sed -i 's/伦理/职业伦理/' "$W/train.csv"
run 0 "$SWS" --db "$DB" import trainings "$W/train.csv" --dry-run
has "$W/out" "1 of 3 rows would be imported into training, 0 bad; 2 rows identical to stored ones skipped"
run 0 "$SWS" --db "$DB" import trainings "$W/train.csv" --allow-duplicates
has "$W/out" "imported 3 of 3 rows into training"
eq "$(q "$DB" "SELECT count(*) FROM training")" 6 "trainings after --allow-duplicates"

echo "ok"
