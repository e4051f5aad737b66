---@meta
-- lua-language-server annotations for the sws API. Add this folder to
-- "workspace.library" in .luarc.json to get completion in plugins and policies.

---@class sws
---@field version string        sws release, e.g. "0.1.0"
---@field api_version integer   the API version plugins name in manifest.lua (api = 1)
sws = {}

---@class sws.db
sws.db = {}
---Runs a query; rows are tables keyed by column name. Parameters are positional (?) or one table of named ones (:name).
---@param sql string
---@return table[]
function sws.db.query(sql, ...) end
---Streams the rows of a query: `for row in sws.db.rows(sql, ...) do … end`.
---@param sql string
---@return fun(): table?
function sws.db.rows(sql, ...) end
---Runs a query and returns its result column by column: `cols.<name>` lists that column's values in row order (a NULL is a hole), and n is the number of rows. For bulk reads: no table per row.
---@param sql string
---@return table<string, any[]> cols
---@return integer n
function sws.db.columns(sql, ...) end
---Runs a query and groups its rows in C by column spec.by: t[value] is its row (the last); with spec.list its list of rows; with spec.key = "col" its rows by their col; with spec.key and spec.set the set of its col values. Rows whose by (or key) is NULL are left out.
---@param spec {by: string, key?: string, set?: boolean, list?: boolean}
---@param sql string
---@return table<any, table>
function sws.db.grouped(spec, sql, ...) end
---Runs one statement that changes data; returns the rows changed. Plugins may write only their own plugin_<name>_* tables; policies may not write.
---@param sql string
---@return integer
function sws.db.exec(sql, ...) end
---Runs fn inside a savepoint: all of its writes, or none if it raises.
---@param fn function
function sws.db.transaction(fn, ...) end

---@class sws.log
sws.log = {}
---@param fmt string
function sws.log.debug(fmt, ...) end
---@param fmt string
function sws.log.info(fmt, ...) end
---@param fmt string
function sws.log.warn(fmt, ...) end
---@param fmt string
function sws.log.error(fmt, ...) end
---A progress bar on stderr (drawn only when it is a terminal, or $SWS_PROGRESS=1); no argument erases it.
---@param label? string
---@param done? integer
---@param total? integer
function sws.log.progress(label, done, total) end

---@class sws.text
sws.text = {}
---The terminal columns UTF-8 text takes (a Chinese character counts 2).
---@param s string
---@return integer
function sws.text.width(s) end
---s with spaces added to fill width columns; never cut.
---@param s string
---@param width integer
---@param align? "left"|"right"
---@return string
function sws.text.pad(s, width, align) end
---one when n is 1, else many ("1 station", "3 stations").
---@param n number
---@param one string
---@param many string
---@return string
function sws.text.plural(n, one, many) end

---@class sws.csv
sws.csv = {}
---v as one CSV cell by the core's rule: nil and sws.json.null give "", booleans "1"/"0", whole numbers without ".0"; text a spreadsheet would run as a formula (=, +, -, @, tab, CR first; not a plain number) gets a leading apostrophe; quoted when it holds a comma, quote, CR or LF.
---@param v string|number|boolean|nil
---@return string
function sws.csv.cell(v) end

---Registers an event handler; higher priority runs first. Handlers of "*.before_*" events may return false, reason to veto. One registered while its event is being emitted runs from the next emit on.
---@param event string
---@param fn fun(ev: table): boolean?, string?
---@param opts? {priority: integer}
function sws.on(event, fn, opts) end
---Emits an event; returns false, reason when a before-event was vetoed.
---@param event string
---@param payload? table
---@return boolean ok
---@return string? reason
function sws.emit(event, payload) end
---@class sws.job_context
---@field job string the job's name
---@field scheduled string the time the run stands for, "YYYY-MM-DD HH:MM+08:00"
---@field as_of string its date, also what sws.date.today() answers during the run
---@field county string? the county of a per-county schedule entry
---@field trigger "scheduled"|"catch-up"|"manual"|"backfill"

---Registers a job the daemon (`sws serve`) runs on the policy's schedule, or a person runs
---with `sws job run NAME` / `sws ctl run NAME`; every run is recorded in job_run.
---@param name string
---@param fn fun(ctx: sws.job_context)
function sws.job(name, fn) end

---Timers of the daemon (`sws serve` only).
---@class sws.timer
sws.timer = {}
---A timer; stop() ends it and returns true when it was still active.
---@class sws.timer_handle
---@field stop fun(self: sws.timer_handle): boolean
---Runs fn(cancelled) once after seconds; cancelled is true when a reload or shutdown ends it.
---@param seconds number
---@param fn fun(cancelled: boolean)
---@return sws.timer_handle
function sws.timer.after(seconds, fn) end
---Runs fn(cancelled) every seconds; cancelled is true when a reload or shutdown ends it.
---@param seconds number
---@param fn fun(cancelled: boolean)
---@return sws.timer_handle
function sws.timer.every(seconds, fn) end

---The core's cron parser.
---@class sws.cron
sws.cron = {}
---@param expr string
---@return boolean ok
---@return string? why
function sws.cron.check(expr) end
---The next count (default 1) wall-clock times "YYYY-MM-DD HH:MM" after from.
---@param expr string
---@param from string
---@param count? integer
---@return string[]
function sws.cron.next(expr, from, count) end
---Adds the CLI subcommand `sws NAME ARGS…`; fn returns the exit status.
---@param name string
---@param help string
---@param fn fun(args: string[]): integer?
function sws.command(name, help, fn) end

---@class sws.re
sws.re = {}
---@param pattern string
---@param flags? string  letters i m s x
function sws.re.compile(pattern, flags) end
---@return boolean
function sws.re.test(s, pattern, flags) end
function sws.re.match(s, pattern, flags, init) end
function sws.re.find(s, pattern, flags, init) end
function sws.re.gmatch(s, pattern, flags) end
function sws.re.gsub(s, pattern, repl, n, flags) end
function sws.re.named(s, pattern, flags, init) end

---@class sws.json
---@field null any
sws.json = {}
---@return string
function sws.json.encode(value, opts) end
function sws.json.decode(text) end
---The value of JSON null: a light userdata equal only to itself (`v == sws.json.null`).
---@type lightuserdata
sws.json.null = nil
---Marks t (or a new table) to encode as an array, even when empty.
---@param t? table
---@return table
function sws.json.array(t) end

---@class sws.standards
---One judgment per standard: each returns {met, score, message, actual, required, path}.
sws.standards = {}
function sws.standards.missing(required, have) end
function sws.standards.num(x) end
function sws.standards.hours(minutes) end
function sws.standards.area(p, st, rooms_m2) end
function sws.standards.kinds(p, key, have, what) end
function sws.standards.sign(p, st) end
function sws.standards.staffing_by_population(t, p) end
function sws.standards.staffing_need(p, st) end
function sws.standards.staffing(p, st, n) end
function sws.standards.age(p, workers, as_of, age_of) end
function sws.standards.qualified(p, q) end
function sws.standards.certified(p, q) end
function sws.standards.qualification(p, workers) end
function sws.standards.training(p, workers, part) end
function sws.standards.community_time(p, workers) end
---The village-contacts standard's query: one row per station (villages, short),
---with :to, :first, :last and the policy's values of CONTACTS_PARAMS bound.
sws.standards.CONTACTS_SQL = ""
---The policy paths CONTACTS_SQL binds, by parameter name.
---@class sws.standards.CONTACTS_PARAMS
---@field need string "standards.contacts_per_village"
---@field accepted string "standards.accepted_qualifications"
sws.standards.CONTACTS_PARAMS = {}
function sws.standards.contacts(p, facts) end
function sws.standards.community_rooms(p, rooms) end
function sws.standards.engagement(p, workers) end
function sws.standards.transition_332(p, f, as_of, add_years) end
function sws.standards.funding(p, year, year_set, ever_set) end
function sws.standards.welfare_lottery(p, rows) end
function sws.standards.county_report(p, year, as_of, row) end

---@class sws.date
sws.date = {}
---@return string
function sws.date.today() end
function sws.date.parse(s) end
function sws.date.valid(s) end
function sws.date.add_days(s, n) end
function sws.date.add_months(s, n) end
function sws.date.add_years(s, n) end
function sws.date.diff_days(a, b) end
function sws.date.age(birth, on) end
function sws.date.compare(a, b) end
function sws.date.year(s) end
function sws.date.month(s) end
---@param s string
---@return integer
function sws.date.day(s) end
function sws.date.format(s, fmt) end

---Runs the compliance rules of `sws check` (docs/checks.md). For scripts and plugins; a policy may not call it.
---@param opts {county?: string, station?: string, year?: integer, as_of?: string}
---@return {stations: integer, rule_errors: integer, findings: table[]}
function sws.check(opts) end

---Adds a compliance rule: fn(ctx) looks at the stations of the check (docs/checks.md).
---@param id string
---@param fn fun(ctx: table)
---@param opts? {severity?: string, doc?: string}
function sws.rule(id, fn, opts) end

---The coverage of the city's targets and its text line, the figures of `sws check`
---(docs/checks.md), for one administering unit (its share of the targets) or all.
---@param code? string  a unit's 6-digit code or a station's 9-digit code; nil: every unit
---@param as_of? string  YYYY-MM-DD (default: sws.date.today())
---@return {counties: table[], total: table, targets: table, by_date: table[], operating_stages: table[], as_of: string, city_need_station?: integer}
---@return string line
function sws.coverage(code, as_of) end

---@class sws.mask
sws.mask = {}
---The first character and one '*' per further character ("王**"); nil stays nil.
---@param name string?
---@return string?
function sws.mask.name(name) end
---The first six characters and "****"; nil stays nil.
---@param address string?
---@return string?
function sws.mask.address(address) end
---`s` with every standalone ID and mobile number masked.
---@param s string
---@return string
function sws.mask.text(s) end

---What plugin `name`'s init.lua returned (read-only), or nil when it is not loaded.
---@param name string
---@return table?
function sws.plugin(name) end

---@class sws.workflow
sws.workflow = {}
---Starts the construction workflow of a station. A policy may not call it.
---@param station string
---@param actor string
---@param as_of? string the effective date (not after today)
---@param role? string city, county, township, expert or assessor (as the initial stage asks)
---@return boolean ok
---@return string? reasons
function sws.workflow.start(station, actor, as_of, role) end
---Moves a station to `stage` through its guards; true, or false and the reasons.
---@param station string
---@param stage string
---@param actor string
---@param opts? {reason?: string, as_of?: string, role?: string} role: as the stage asks
---@return boolean ok
---@return string? reasons
function sws.workflow.advance(station, stage, actor, opts) end
---The station's current stage, or nil.
---@param station string
---@return string?
function sws.workflow.stage(station) end
---The stages the station may move to next.
---@param station string
---@return string[]
function sws.workflow.next(station) end

---@class sws.policy
sws.policy = {}
---Defines a whole policy (the city's default.lua); see docs/policies.md.
---@param policy table
---@return table
function sws.policy.define(policy) end
---A county policy: `overrides` merged over policy `base` ("default"); see docs/policies.md.
---@param base string
---@param overrides table
---@return table
function sws.policy.extend(base, overrides) end
---The effective value at the dotted path of the county's policy ("standards.min_training_hours"); nil when absent.
---@param county string  6-digit code
---@param path string
---@return any
function sws.policy.get(county, path) end

---@class sws.eval
sws.eval = {}
---The evaluation of one station (its whole city is scored, so ranks are right); see docs/lua-api.md. A policy may not call it.
---@param station string
---@param year integer
---@param phase? "mid"|"final"
---@param as_of? string
---@return table
function sws.eval.score(station, year, phase, as_of) end
---The evaluation of every station of the county's city (nil: of every city), from one run.
---@param county string?
---@param year integer
---@param phase? "mid"|"final"
---@param as_of? string
---@return table[]
function sws.eval.scores(county, year, phase, as_of) end

-- Globals of `sws test` (*_test.lua files) and of `sws run`.

---Declares a test.
---@param name string
---@param fn function
function test(name, fn) end
---@param actual any
---@param expected any
---@param msg? string
function assert_eq(actual, expected, msg) end
---@param v any
---@param msg? string
function assert_true(v, msg) end
---Passes when fn raises an error (matching `pattern` when given).
---@param fn function
---@param pattern? string
function assert_error(fn, pattern) end
---@class fixture
---@field db_path string   the test file's temporary database
fixture = {}
---Imports CSV text as `kind` into the test database; returns the rows imported, raises with the problems.
---@param kind string
---@param csv_text string
---@return integer
function fixture.import(kind, csv_text) end
---The arguments after the script's path (`sws run SCRIPT ARGS…`).
---@type string[]
arg = {}
