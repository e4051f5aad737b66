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

---Registers an event handler; higher priority runs first. Handlers of "*.before_*" events may return false, reason to veto.
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
---Registers a job the scheduler or `sws job run NAME` can run.
---@param name string
---@param fn fun(ctx: table)
function sws.job(name, fn) end
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
function sws.date.format(s, fmt) end
