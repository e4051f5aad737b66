/* cmd_init.c — `sws init`: create or upgrade the database. */
#include <stdio.h>

#include "cli.h"
#include "db.h"

int sws_cmd_init(sws_cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return sws_cli_usage_error("init", "takes no arguments (the database is --db PATH)");
    cli->may_create = 1;
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    printf("database %s ready (schema version %d)\n", cli->db_path, sws_db_schema_version(db));
    return SWS_EXIT_OK;
}
