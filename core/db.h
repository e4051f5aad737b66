/*
 * db.h — the SQLite database: opening, schema migrations, transactions.
 *
 * sws_db_open() returns a connection in WAL mode with foreign keys enforced,
 * migrated to the newest schema this build knows. A database written by a
 * newer sws is refused rather than misread.
 */
#ifndef SWS_DB_H
#define SWS_DB_H

#include <sqlite3.h>

#include "error.h"

extern const char *const sws_migrations[];
extern const int sws_migration_count;

/* The counts of service_month recomputed from service_record (a SELECT with
 * the table's columns in order), beside the migration that made the table;
 * `sws doctor` compares with it (aggregates.c). */
extern const char sws_service_month_fresh[];
/* worker_year recomputed from training and worktime (migrations.c). */
extern const char sws_worker_year_fresh[];
/* volunteer_year recomputed from volunteer_service and volunteer (migrations.c). */
extern const char sws_volunteer_year_fresh[];
/* station_clients recomputed from client (migrations.c). */
extern const char sws_station_clients_fresh[];
/* village_contact_worker recomputed from village_contact and worker. */
extern const char sws_village_contact_worker_fresh[];
/* service_year recomputed from service_month (migrations.c). */
extern const char sws_service_year_fresh[];
/* The statement that recomputes one station-year (?1, ?2) of service_year. */
extern const char sws_service_year_refresh[];

/* Every connection has the SQL function regexp(pattern, text), a PCRE2
 * match (1 or 0), used by the compliance rules over service records. */

/* Opens (creating if needed) and migrates PATH to the newest schema.
 * Returns 0 and *out, or -1 with the reason in e (*out is NULL). */
int sws_db_open(const char *path, sqlite3 **out, sws_error *e);

/* Opens an existing database at PATH read-only, for commands that only
 * read: nothing is created or migrated, and it works in a folder the user
 * cannot write (a WAL database there is opened as immutable). Refuses a
 * database whose schema is older or newer than this build's. */
int sws_db_open_readonly(const char *path, sqlite3 **out, sws_error *e);

/* Opens PATH without migrating; for tools that must see the file as it is. */
int sws_db_open_raw(const char *path, sqlite3 **out, sws_error *e);

/* Applies migrations until user_version reaches `target` (each in its own
 * transaction). Refuses a database newer than this build. */
int sws_db_migrate(sqlite3 *db, int target, sws_error *e);

/* Returns PRAGMA user_version, or -1 on error. */
int sws_db_schema_version(sqlite3 *db);

/* How long a connection waits for another's lock before SQLITE_BUSY: 30 s,
 * or $SWS_BUSY_TIMEOUT seconds (0 to 3600; anything else: the default). */
#define SWS_DB_BUSY_TIMEOUT_MS 30000
int sws_db_busy_timeout_ms(void);

/*
 * Opens a write transaction: when none is open, BEGIN IMMEDIATE (the write
 * lock taken up front, so no reader-turned-writer fails halfway; it waits
 * up to the busy timeout), then SAVEPOINT `savepoint`. Returns 1 when it
 * began the transaction, 0 when nested in the caller's, or -1 with e; a
 * lock still held after the wait is an error naming the process that holds
 * it (recorded in "<database>-writer" by each writer) and what to do.
 */
int sws_db_begin_write(sqlite3 *db, const char *savepoint, sws_error *e);

/* Ends what sws_db_begin_write opened: with `ok`, releases the savepoint
 * and commits if `began`; else rolls both back. 0, or -1 with e when the
 * commit fails (everything is then rolled back). */
int sws_db_end_write(sqlite3 *db, const char *savepoint, int began, int ok, sws_error *e);

/* Every process of sws is one thread (one libev loop; --jobs forks
 * processes), so SQLite can drop the mutexes it takes around each call
 * (memory, page cache): 1 % of the instructions of a national check or
 * evaluation. Called first thing, before SQLite is used. */
void sws_db_single_thread(void);

/* SQLite's own heap (page caches, sorts, statements, strings it builds) is
 * capped for the whole process: a statement that needs more fails with a
 * message naming the limit, and the process goes on. The default fits the
 * largest run measured (the whole of China: bench/README.md); `--sql-memory
 * MiB` or SWS_SQL_MEMORY sets another. */
#define SWS_SQL_MEMORY_DEFAULT_MIB 1024
#define SWS_SQL_MEMORY_MIN_MIB 8
void sws_db_set_heap_limit(long long mib);
/* The limit in MiB (0: none was set). */
long long sws_db_heap_limit_mib(void);

/* The message of db's last error: SQLite's, or for a statement that ran
 * out of SQLite's heap, one that names the limit and how to raise it. */
const char *sws_db_errmsg(sqlite3 *db);

/* Runs SQL without results; -1 with SQLite's message on failure. */
int sws_db_exec(sqlite3 *db, const char *sql, sws_error *e);

/* Prepares SQL; -1 with SQLite's message and the statement on failure. */
int sws_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, sws_error *e);

/* Returns the first column of the first row of SQL as an integer
 * (0 when there is no row), or -1 on error. */
long long sws_db_count(sqlite3 *db, const char *sql);

/* Sets db's page cache to the size a run that reads each page about once
 * wants (the check or the evaluation of many counties) and returns the size
 * it had (0: it could not be read, and is left), for sws_db_restore_cache. The page cache of a connection is SWS_CACHE_KIB
 * (db.c), which an import's index pages need; a reading run over many
 * counties saves filling one that large in every process. */
long long sws_db_reading_cache(sqlite3 *db);
void sws_db_restore_cache(sqlite3 *db, long long size);

/* While on, every commit on db becomes a rollback and sets *tried to 1
 * (previews and dry runs: nothing may reach the file, whatever a plugin
 * runs). sws_db_refuse_commits(db, NULL) turns it off. */
void sws_db_refuse_commits(sqlite3 *db, int *tried);

/* Reads and writes the key/value `meta` table. Get returns a malloc'd
 * string or NULL. */
char *sws_db_meta_get(sqlite3 *db, const char *key);
int sws_db_meta_set(sqlite3 *db, const char *key, const char *value, sws_error *e);

#endif
