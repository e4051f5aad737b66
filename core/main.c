/* main.c — the sws executable: everything else lives in the core library. */
#include <locale.h>

#include "cli.h"

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    return sws_cli_main(argc, argv);
}
