/* fuzz_theme.c: the theme parser's fuzz target.
 *
 * With clang -fsanitize=fuzzer,address (define DBW_LIBFUZZER) it is a
 * libFuzzer target; otherwise main() replays the files named on the command
 * line, plus mutilated copies of them, so that ctest runs the target on
 * every build. */
#include "theme.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    theme_parse(&t, "fuzz.theme", text, size, &err);
    db_error_clear(&err);
    theme_free(&t);
    free(text);
    return 0;
}

#ifndef DBW_LIBFUZZER
int main(int argc, char **argv)
{
    unsigned seed = 12345;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "fuzz_theme: cannot read %s\n", argv[i]);
            return 1;
        }
        static uint8_t buf[65536];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        /* mutilations: truncations, flipped bytes, spliced junk */
        for (int k = 0; k < 2000; k++) {
            uint8_t copy[65536];
            size_t m = n ? (size_t)rand_r(&seed) % (n + 1) : 0;
            memcpy(copy, buf, m);
            for (int j = 0; j < 4 && m; j++)
                copy[(size_t)rand_r(&seed) % m] = (uint8_t)rand_r(&seed);
            LLVMFuzzerTestOneInput(copy, m);
        }
    }
    printf("fuzz_theme: %d corpus files replayed\n", argc - 1);
    return 0;
}
#endif
