/* main.c — the sws executable: everything else lives in the core library. */
#include <locale.h>

#include "cli.h"
#include "db.h"

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    sws_db_single_thread();
    return sws_cli_main(argc, argv);
}
