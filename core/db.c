/* db.c — opening the database, write transactions and the numbered migrations. */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "re.h"

/* The page cache in KiB, and the most of the file mapped into memory. Measured
 * on a national file (bench/README.md, "Page cache and memory map"): mapping
 * 256 MiB added 260 MiB to the peak RSS of the evaluation and saved no time, so
 * nothing is mapped; a 64 MiB cache keeps the import's index pages, while the
 * check and the evaluation, which read each page about once, run 7 to 14 %
 * faster in 2 MiB (SWS_READING_CACHE_KIB, SQLite's default). A build may set
 * others (e.g. -DSWS_MMAP_BYTES=268435456) to measure again. */
#ifndef SWS_CACHE_KIB
#define SWS_CACHE_KIB 65536
#endif
#ifndef SWS_READING_CACHE_KIB
#define SWS_READING_CACHE_KIB 2048
#endif
#ifndef SWS_MMAP_BYTES
#define SWS_MMAP_BYTES 0
#endif
/* The page size of a new database file (an existing one keeps its own): a
 * national check and evaluation read 16 KiB pages with a quarter of the
 * system calls and run about 5 % faster than on SQLite's 4 KiB
 * (bench/README.md, "Page size"). */
#ifndef SWS_PAGE_BYTES
#define SWS_PAGE_BYTES 16384
#endif
#define SWS_STR_(x) #x
#define SWS_STR(x) SWS_STR_(x)

void sws_db_single_thread(void)
{
    /* Fails harmlessly (SQLITE_MISUSE) once SQLite is initialized: it then
     * keeps its locks. */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
}

void sws_db_set_heap_limit(long long mib)
{
    sqlite3_int64 bytes = (sqlite3_int64)mib << 20;
    sqlite3_hard_heap_limit64(bytes);
    /* below the hard limit the page caches give pages back first */
    sqlite3_soft_heap_limit64(bytes - bytes / 8);
}

long long sws_db_heap_limit_mib(void)
{
    return (long long)(sqlite3_hard_heap_limit64(-1) >> 20);
}

const char *sws_db_errmsg(sqlite3 *db)
{
    static _Thread_local char msg[300];
    long long mib = sws_db_heap_limit_mib();
    if ((sqlite3_errcode(db) & 0xff) != SQLITE_NOMEM || mib == 0)
        return sqlite3_errmsg(db);
    snprintf(msg, sizeof msg, "the statement needs more than SQLite's memory limit of %lld MiB "
             "(raise it with --sql-memory MiB or SWS_SQL_MEMORY)", mib);
    return msg;
}

int sws_db_exec(sqlite3 *db, const char *sql, sws_error *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sws_errorf(e, "%s", (sqlite3_errcode(db) & 0xff) == SQLITE_NOMEM || !msg
                                ? sws_db_errmsg(db) : msg);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* "<database>-writer": who last took the write lock (for the message of a
 * writer that cannot get it). NULL for an in-memory database. */
static int writer_file(sqlite3 *db, char *out, size_t n)
{
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !path[0])
        return -1;
    snprintf(out, n, "%s-writer", path);
    return 0;
}

/* Records this process as the holder of the write lock (best effort). */
static void note_writer(sqlite3 *db)
{
    char path[4200], cmd[256] = "", line[400];
    if (writer_file(db, path, sizeof path) < 0)
        return;
    FILE *c = fopen("/proc/self/cmdline", "rb");
    if (c) {
        size_t got = fread(cmd, 1, sizeof cmd - 1, c);
        fclose(c);
        for (size_t i = 0; i < got; i++)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        cmd[got] = '\0';
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int len = snprintf(line, sizeof line, "%ld %02d:%02d:%02d %s", (long)getpid(), tm.tm_hour,
                       tm.tm_min, tm.tm_sec, cmd);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)len) < 0) { /* only a hint for a message: nothing to do */
    }
    close(fd);
}

/* Describes the last writer, if that process still runs: "sws pid 12 (…)". */
static void describe_writer(sqlite3 *db, char *out, size_t n)
{
    char path[4200], line[400] = "";
    out[0] = '\0';
    if (writer_file(db, path, sizeof path) < 0)
        return;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t got = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[got] = '\0';
    long pid = 0;
    char when[16] = "", cmd[300] = "";
    if (sscanf(line, "%ld %15s %299[^\n]", &pid, when, cmd) < 2 || pid <= 0 ||
        pid == (long)getpid() || kill((pid_t)pid, 0) != 0)
        return;
    snprintf(out, n, "process %ld (%s), writing since %s", pid, cmd, when);
}

int sws_db_busy_timeout_ms(void)
{
    const char *v = getenv("SWS_BUSY_TIMEOUT");
    if (!v || !*v)
        return SWS_DB_BUSY_TIMEOUT_MS;
    char *end;
    long s = strtol(v, &end, 10);
    return *end || s < 0 || s > 3600 ? SWS_DB_BUSY_TIMEOUT_MS : (int)s * 1000;
}

int sws_db_begin_write(sqlite3 *db, const char *savepoint, sws_error *e)
{
    int began = sqlite3_get_autocommit(db);
    if (began) {
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            int busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
            if (!busy)
                return sws_errorf(e, "cannot start a write transaction: %s",
                                  sqlite3_errmsg(db));
            char who[400];
            describe_writer(db, who, sizeof who);
            return sws_errorf(e, "the database %s is being written by %s and stayed locked "
                              "for the whole wait (%d s): let it finish, then run this again",
                              sqlite3_db_filename(db, "main"),
                              who[0] ? who : "another process", sws_db_busy_timeout_ms() / 1000);
        }
        note_writer(db);
    }
    char sql[96];
    snprintf(sql, sizeof sql, "SAVEPOINT %s", savepoint);
    if (sws_db_exec(db, sql, e) < 0) {
        if (began)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return began;
}

int sws_db_end_write(sqlite3 *db, const char *savepoint, int began, int ok, sws_error *e)
{
    char sql[160];
    if (!ok) {
        snprintf(sql, sizeof sql, "ROLLBACK TO %s; RELEASE %s", savepoint, savepoint);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (began)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return 0;
    }
    snprintf(sql, sizeof sql, "RELEASE %s", savepoint);
    if (sws_db_exec(db, sql, e) < 0 || (began && sws_db_exec(db, "COMMIT", e) < 0)) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int sws_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, sws_error *e)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return sws_errorf(e, "%s (in: %.80s)", sws_db_errmsg(db), sql);
    return 0;
}

long long sws_db_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        n = 0;
    sqlite3_finalize(st);
    return n;
}

int sws_db_schema_version(sqlite3 *db)
{
    return (int)sws_db_count(db, "PRAGMA user_version");
}

int sws_db_migrate(sqlite3 *db, int target, sws_error *e)
{
    int have = sws_db_schema_version(db);
    if (have < 0)
        return sws_errorf(e, "cannot read the schema version: %s", sqlite3_errmsg(db));
    if (have > sws_migration_count)
        return sws_errorf(e,
                          "this database has schema version %d, but this sws (%s) knows only "
                          "up to %d: it was written by a newer sws; use that version",
                          have, SWS_VERSION, sws_migration_count);
    if (target > sws_migration_count)
        target = sws_migration_count;
    for (int v = have; v < target; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (sws_db_exec(db, "BEGIN IMMEDIATE", e) < 0)
            return sws_error_prefix(e, "migration %d", v + 1);
        if (sws_db_exec(db, sws_migrations[v], e) < 0 || sws_db_exec(db, bump, e) < 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return sws_error_prefix(e, "migration %d", v + 1);
        }
        if (sws_db_exec(db, "COMMIT", e) < 0)
            return sws_error_prefix(e, "migration %d", v + 1);
    }
    return 0;
}

/* regexp(pattern, text): 1 when the PCRE2 pattern matches text, NULL when
 * text is NULL; an invalid pattern or a hit match limit is an SQL error. */
static void sql_regexp(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *pattern = (const char *)sqlite3_value_text(v[0]);
    const unsigned char *text = sqlite3_value_text(v[1]);
    if (!pattern || !text) {
        sqlite3_result_null(c);
        return;
    }
    sws_error e;
    /* the compiled pattern rides on the statement: a scan looks it up once */
    sws_re *re = sqlite3_get_auxdata(c, 0);
    if (!re && (re = sws_re_get(pattern, &e)) != NULL)
        sqlite3_set_auxdata(c, 0, re, NULL); /* the pattern cache owns it */
    int m = re ? sws_re_exec(re, (const char *)text, (size_t)sqlite3_value_bytes(v[1]), 0, NULL,
                             0, &e) : -1;
    if (m < 0)
        sqlite3_result_error(c, e.msg, -1);
    else
        sqlite3_result_int(c, m);
}

/* The connection settings every open shares: busy timeout, regexp(), codes. */
static void configure(sqlite3 *db)
{
    sqlite3_busy_timeout(db, sws_db_busy_timeout_ms());
    sqlite3_create_function(db, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            sql_regexp, NULL, NULL);
    sqlite3_extended_result_codes(db, 1);
}

int sws_db_open_raw(const char *path, sqlite3 **out, sws_error *e)
{
    sqlite3 *db = NULL;
    *out = NULL;
    /* one thread per connection: no mutex around every call */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        sws_errorf(e, "cannot open database %s: %s", path,
                   db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    configure(db);
    /* journal_mode answers with a row, so it goes through exec's callback-less path.
     * The page size (before WAL, which writes a new file's first page), the
     * page cache and the memory map are sized for multi-GB databases:
     * SWS_PAGE_BYTES, SWS_CACHE_KIB and SWS_MMAP_BYTES above. */
    if (sws_db_exec(db, "PRAGMA page_size = " SWS_STR(SWS_PAGE_BYTES) ";"
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        "PRAGMA foreign_keys = ON; PRAGMA cache_size = -" SWS_STR(SWS_CACHE_KIB) ";"
                        "PRAGMA mmap_size = " SWS_STR(SWS_MMAP_BYTES) ";", e) < 0) {
        sws_error_prefix(e, "database %s", path);
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

/* Writes PATH as an SQLite URI that opens the file immutable (nothing can
 * change it: its folder is not writable, so no writer can journal). */
static void immutable_uri(const char *path, char *out, size_t n)
{
    size_t o = (size_t)snprintf(out, n, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < n; p++)
        o += (size_t)(*p == '%' || *p == '?' || *p == '#' || *p < 0x20
                          ? snprintf(out + o, n - o, "%%%02X", *p)
                          : snprintf(out + o, n - o, "%c", *p));
    snprintf(out + o, n - o, "?immutable=1");
}

/* 1 when the folder that holds path is writable by this process. */
static int folder_writable(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    return access(dir, W_OK) == 0;
}

int sws_db_open_readonly(const char *path, sqlite3 **out, sws_error *e)
{
    sqlite3 *db = NULL;
    int have = -1, rc = -1;
    *out = NULL;
    if (access(path, R_OK) != 0) {
        sws_errorf(e, "cannot read database %s: %s", path, strerror(errno));
        return -1;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
        configure(db);
        have = sws_db_schema_version(db);
    }
    if (have < 0 && !folder_writable(path)) {
        /* A WAL database needs its -shm file, which a read-only folder
         * cannot hold: read the file as it is. */
        char uri[8192];
        immutable_uri(path, uri, sizeof uri);
        sqlite3_close(db);
        db = NULL;
        int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(uri, &db, flags, NULL) == SQLITE_OK) {
            configure(db);
            have = sws_db_schema_version(db);
        }
    }
    if (have < 0) {
        sws_errorf(e, "cannot read database %s: %s", path,
                   db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    if (have < sws_migration_count) {
        sws_errorf(e, "database %s has schema version %d and this sws needs %d: upgrade it "
                      "with `sws --db %s init`", path, have, sws_migration_count, path);
        goto done;
    }
    if (sws_db_migrate(db, sws_migration_count, e) < 0 ||
        sws_db_exec(db, "PRAGMA foreign_keys = ON", e) < 0) {
        sws_error_prefix(e, "database %s", path);
        goto done;
    }
    *out = db;
    db = NULL;
    rc = 0;
done:
    sqlite3_close(db);
    return rc;
}

int sws_db_open(const char *path, sqlite3 **out, sws_error *e)
{
    sqlite3 *db;
    *out = NULL;
    if (sws_db_open_raw(path, &db, e) < 0)
        return -1;
    if (sws_db_migrate(db, sws_migration_count, e) < 0) {
        sws_error_prefix(e, "database %s", path);
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

char *sws_db_meta_get(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

int sws_db_meta_set(sqlite3 *db, const char *key, const char *value, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "INSERT INTO meta(key, value) VALUES(?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sws_errorf(e, "cannot store %s: %s", key, sqlite3_errmsg(db));
    return 0;
}

static int refuse_commit(void *tried)
{
    *(int *)tried = 1;
    return 1; /* non-zero: SQLite rolls the commit back */
}

long long sws_db_reading_cache(sqlite3 *db)
{
    sqlite3_stmt *st;
    long long was = 0; /* unknown: left as it is */
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        was = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (was != 0)
        sqlite3_exec(db, "PRAGMA cache_size = -" SWS_STR(SWS_READING_CACHE_KIB), NULL, NULL,
                     NULL);
    return was;
}

void sws_db_restore_cache(sqlite3 *db, long long size)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", size);
    if (size != 0)
        sqlite3_exec(db, sql, NULL, NULL, NULL);
}

void sws_db_refuse_commits(sqlite3 *db, int *tried)
{
    sqlite3_commit_hook(db, tried ? refuse_commit : NULL, tried);
}
