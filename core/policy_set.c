/*
 * policy_set.c — policy folders assembled aside (policy_set.h), and the
 * validation of one policy that `sws policy check` and the preview share.
 *
 * Nothing here writes under the live home: a set lives in a fresh folder
 * under $TMPDIR (else /tmp) and is removed by sws_policy_set_remove.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "policy_set.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "validate.h"

static int is_lua_name(const char *name)
{
    size_t len = strlen(name);
    return len > 4 && len < 64 && strcmp(name + len - 4, ".lua") == 0 && name[0] != '.';
}

int sws_policy_names(const char *home, char names[][64], int max)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/policies", home);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort), count = 0;
    for (int i = 0; i < n; i++) {
        if (count < max && is_lua_name(list[i]->d_name))
            snprintf(names[count++], 64, "%.*s", (int)(strlen(list[i]->d_name) - 4),
                     list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    return count;
}

int sws_policy_check(sws_host *h, const char *which, FILE *ok, FILE *problems)
{
    sws_policy p;
    sws_error e;
    int found;
    if (sws_policy_load(h, which, &p, &e) < 0) {
        fprintf(problems, "%s\n", e.msg);
        return 1;
    }
    if ((found = sws_policy_validate(&p, problems, &e)) < 0) {
        fprintf(problems, "%s\n", e.msg);
        found = 1;
    } else if (!found && ok) {
        fprintf(ok, "%-24s ok (%s version %s)\n", p.file, p.name, p.version);
    }
    sws_policy_release(&p);
    return found;
}

/* ---- making a set ---------------------------------------------------------------- */

/* Creates the temporary home with plugins/ and data/ linked to the live
 * ones and an empty policies/. */
static int make_home(const char *live_home, sws_policy_set *s, sws_error *e)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->home, sizeof s->home, "%s/sws-policies.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(s->home)) {
        s->home[0] = '\0';
        return sws_errorf(e, "cannot make a temporary folder for the policies: %s",
                          strerror(errno));
    }
    char live[PATH_MAX], path[4200], target[4200];
    if (!realpath(live_home, live))
        snprintf(live, sizeof live, "%s", live_home);
    static const char *const linked[] = {"plugins", "data"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", s->home, linked[i]);
        snprintf(target, sizeof target, "%s/%s", live, linked[i]);
        if (symlink(target, path) < 0)
            return sws_errorf(e, "cannot link %s: %s", path, strerror(errno));
    }
    snprintf(path, sizeof path, "%s/policies", s->home);
    if (mkdir(path, 0700) < 0)
        return sws_errorf(e, "cannot make %s: %s", path, strerror(errno));
    return 0;
}

/* Copies file `from` to `to`. 0, or -1 with e. */
static int copy_file(const char *from, const char *to, sws_error *e)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    int rc = 0;
    if (!in || !out) {
        rc = sws_errorf(e, "cannot copy %s to %s: %s", from, to, strerror(errno));
    } else {
        char buf[8192];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, got, out) != got)
                rc = sws_errorf(e, "cannot write %s: %s", to, strerror(errno));
    }
    if (out && fclose(out) != 0 && rc == 0)
        rc = sws_errorf(e, "cannot write %s: %s", to, strerror(errno));
    if (in)
        fclose(in);
    return rc;
}

/* Links policies/<name> of the set to the proposed file `file`. */
static int link_proposed(sws_policy_set *s, const char *name, const char *file, sws_error *e)
{
    char real[PATH_MAX], path[4200];
    if (!realpath(file, real))
        return sws_errorf(e, "no proposed policy file %s: %s", file, strerror(errno));
    snprintf(path, sizeof path, "%s/policies/%s", s->home, name);
    unlink(path);
    if (symlink(real, path) < 0)
        return sws_errorf(e, "cannot link %s: %s", path, strerror(errno));
    return 0;
}

/* Lays the *.lua files of folder dir over the set. */
static int overlay_dir(sws_policy_set *s, const char *dir, sws_error *e)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort), rc = 0, used = 0;
    if (n < 0)
        return sws_errorf(e, "cannot read folder %s: %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        if (rc == 0 && is_lua_name(list[i]->d_name)) {
            char file[4200];
            snprintf(file, sizeof file, "%s/%s", dir, list[i]->d_name);
            rc = link_proposed(s, list[i]->d_name, file, e);
            used++;
        }
        free(list[i]);
    }
    free(list);
    if (rc == 0 && !used)
        return sws_errorf(e, "folder %s has no policy file (*.lua)", dir);
    return rc;
}

int sws_policy_set_proposed(const char *live_home, const char *county, const char *with,
                            sws_policy_set *out, sws_error *e)
{
    memset(out, 0, sizeof *out);
    snprintf(out->label, sizeof out->label, "proposed (%s)", with);
    struct stat sb;
    if (stat(with, &sb) < 0)
        return sws_errorf(e, "no proposed policy file or folder %s: %s", with, strerror(errno));
    const char *base = strrchr(with, '/') ? strrchr(with, '/') + 1 : with;
    char stem[64] = "";
    if (is_lua_name(base))
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 4), base);
    if (S_ISREG(sb.st_mode) && !county && strcmp(stem, "default") != 0 &&
        sws_valid_division_code(stem, 6))
        return sws_errorf(e, "%s: name the county it is for (`… COUNTY --with FILE`) or call "
                          "the file <county code>.lua (default.lua for the city's)", with);
    if (make_home(live_home, out, e) < 0)
        goto fail;
    char names[256][64];
    int n = sws_policy_names(live_home, names, 256);
    for (int i = 0; i < n; i++) {
        char from[4200], to[4200];
        snprintf(from, sizeof from, "%s/policies/%s.lua", live_home, names[i]);
        snprintf(to, sizeof to, "%s/policies/%s.lua", out->home, names[i]);
        if (copy_file(from, to, e) < 0)
            goto fail;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (overlay_dir(out, with, e) < 0)
            goto fail;
    } else {
        char name[80];
        if (county && !sws_valid_division_code(county, 6))
            snprintf(name, sizeof name, "%s.lua", county);
        else
            snprintf(name, sizeof name, "%s", base);
        if (link_proposed(out, name, with, e) < 0)
            goto fail;
    }
    return 0;
fail:
    sws_policy_set_remove(out);
    return -1;
}

/* ---- a git revision ------------------------------------------------------------------ */

/* Runs `git -C dir ARGS` with its standard output to `to` (a file) or into
 * buf; 0 when git succeeded. rev has been checked to need no quoting. */
static int git(const char *dir, const char *args, const char *to, char *buf, size_t n)
{
    char cmd[8800];
    snprintf(cmd, sizeof cmd, "git -C '%s' %s 2>/dev/null%s%s", dir, args, to ? " > " : "",
             to ? to : "");
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t used = 0, got;
    char sink[4096];
    while ((got = fread(buf && used + 1 < n ? buf + used : sink, 1,
                        buf && used + 1 < n ? n - used - 1 : sizeof sink, p)) > 0)
        if (buf && used + 1 < n)
            used += got;
    if (buf)
        buf[used] = '\0';
    return pclose(p) == 0 ? 0 : -1;
}

int sws_policy_set_revision(const char *live_home, const char *rev, sws_policy_set *out,
                            sws_error *e)
{
    memset(out, 0, sizeof *out);
    snprintf(out->label, sizeof out->label, "revision %s", rev);
    if (!rev[0] || rev[0] == '-' || strspn(rev, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                                "VWXYZ0123456789_./~^@{}-") != strlen(rev))
        return sws_errorf(e, "'%s' is not a git revision sws accepts (letters, digits and "
                          "_ . / ~ ^ @ { } -)", rev);
    if (strchr(live_home, '\''))
        return sws_errorf(e, "the project folder %s has a quote in its name", live_home);
    static char list[65536];
    char args[512];
    snprintf(args, sizeof args, "ls-tree --name-only '%s' policies/", rev);
    if (git(live_home, args, NULL, list, sizeof list) < 0)
        return sws_errorf(e, "git cannot show revision '%s' of %s/policies (is it a git "
                          "repository, and the revision one of its commits?)", rev, live_home);
    if (make_home(live_home, out, e) < 0)
        goto fail;
    int found = 0;
    for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
        const char *name = line + strlen("policies/");
        if (strncmp(line, "policies/", 9) != 0 || !is_lua_name(name) || strchr(name, '\''))
            continue;
        char to[4200];
        snprintf(to, sizeof to, "'%s/policies/%s'", out->home, name);
        snprintf(args, sizeof args, "show '%s:./policies/%s'", rev, name);
        if (git(live_home, args, to, NULL, 0) < 0) {
            sws_errorf(e, "git cannot show %s:policies/%s", rev, name);
            goto fail;
        }
        found++;
    }
    if (!found) {
        sws_errorf(e, "revision '%s' has no policy file under policies/", rev);
        goto fail;
    }
    return 0;
fail:
    sws_policy_set_remove(out);
    return -1;
}

/* ---- removing ---------------------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path); /* best effort: go on with the rest */
    return 0;
}

void sws_policy_set_remove(sws_policy_set *s)
{
    if (s->home[0])
        nftw(s->home, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    s->home[0] = '\0';
}
