/* test_seed_prng.c: the seed sets' own generator and text: fixed outputs
 * for fixed seeds (the published splitmix64 sequence, and our derived
 * streams pinned), bounds and weights, dates and money written without
 * the locale, the seed action's argument read and written, [seed]
 * anomalies as a share. */
#include "config.h"
#include "prng.h"
#include "seed_internal.h"
#include "test.h"

#include <locale.h>
#include <stdlib.h>

static void test_splitmix64_known_values(void)
{
    /* the reference sequence for seed 0 (Vigna's splitmix64.c) */
    uint64_t st = 0;
    CHECK(prng_splitmix64(&st) == 0xe220a8397b1dcdafULL);
    CHECK(prng_splitmix64(&st) == 0x6e789e6aa1b965f4ULL);
    CHECK(prng_splitmix64(&st) == 0x06c45d188009454fULL);
}

static void test_streams_are_fixed(void)
{
    Prng a, b;
    prng_init(&a, 42, 1, 7);
    prng_init(&b, 42, 1, 7);
    uint64_t first = prng_next(&a);
    CHECK(first == prng_next(&b));
    /* pinned: a change of the generator changes every seeded database */
    Prng p;
    prng_init(&p, 1, 1, 1);
    uint64_t x = prng_next(&p);
    CHECK(x == 0xa60d4bc7c9bd58c0ULL);
    /* xoshiro256** itself: the reference outputs for the state {1, 2, 3, 4} */
    Prng k = { { 1, 2, 3, 4 } };
    CHECK(prng_next(&k) == 11520);
    CHECK(prng_next(&k) == 0);
    CHECK(prng_next(&k) == 1509978240);
    CHECK(prng_next(&k) == 1215971899390074240ULL);
    Prng c;
    prng_init(&c, 42, 1, 8);
    CHECK(prng_next(&c) != first);
    prng_init(&c, 42, 2, 7);
    CHECK(prng_next(&c) != first);
}

static void test_bounds_and_weights(void)
{
    Prng r;
    prng_init(&r, 9, 9, 9);
    int seen[7] = { 0 };
    for (int i = 0; i < 70000; i++) {
        uint64_t v = prng_below(&r, 7);
        CHECK(v < 7);
        seen[v]++;
    }
    for (int i = 0; i < 7; i++)
        CHECK(seen[i] > 9000 && seen[i] < 11000);
    CHECK(prng_below(&r, 0) == 0);
    for (int i = 0; i < 1000; i++) {
        int64_t v = prng_range(&r, -3, 3);
        CHECK(v >= -3 && v <= 3);
    }
    unsigned w[3] = { 1, 0, 3 };
    int hits[3] = { 0 };
    for (int i = 0; i < 40000; i++)
        hits[prng_weighted(&r, w, 3)]++;
    CHECK(hits[1] == 0 && hits[0] > 9000 && hits[0] < 11000);
    int yes = 0;
    for (int i = 0; i < 100000; i++)
        yes += prng_chance(&r, 100);
    CHECK(yes > 800 && yes < 1200);
}

static void test_dates_and_money(void)
{
    /* a locale with a decimal comma changes nothing */
    setlocale(LC_ALL, "de_DE.UTF-8");
    char d[11], t[20], m[24];
    CHECK(seed_anchor_epoch() == 1793491200LL);
    seed_fmt_time(seed_anchor_epoch(), t);
    CHECK_STR(t, SEED_ANCHOR);
    seed_fmt_date(951782400LL, d);   /* 2000-02-29 */
    CHECK_STR(d, "2000-02-29");
    seed_fmt_time(1893456000LL + 86399, t);
    CHECK_STR(t, "2030-01-01 23:59:59");
    seed_fmt_time(-1, t);
    CHECK_STR(t, "1969-12-31 23:59:59");
    seed_fmt_cents(58800, m);
    CHECK_STR(m, "588.00");
    seed_fmt_cents(5, m);
    CHECK_STR(m, "0.05");
    seed_fmt_cents(-1234, m);
    CHECK_STR(m, "-12.34");
    char g[32];
    seed_grouped(1234567, g, sizeof g);
    CHECK_STR(g, "1,234,567");
    seed_grouped(12, g, sizeof g);
    CHECK_STR(g, "12");
    char *p = seed_progress_text("users", 50, 200, 1000);
    CHECK_STR(p, "users: 50 of 200 rows (25%) done (elapsed 1.0 s, remaining 3.0 s, 50 rows/s)");
    free(p);
    setlocale(LC_ALL, "C");
}

static void test_request(void)
{
    SeedSettings cfg = { NULL, 100 };
    SeedSettings with_dir = { "seeds", 100 };
    SeedRequest r;
    DbError err = DB_ERROR_INIT;
    CHECK(seed_request_parse(NULL, &cfg, false, &r, &err) == 0 && r.kind == SEED_DEMO);
    seed_request_free(&r);
    CHECK(seed_request_parse("", &with_dir, false, &r, &err) == 0 && r.kind == SEED_FILES);
    seed_request_free(&r);
    CHECK(seed_request_parse("set=scale\nscale=1000\nseed=7\nforce=yes", &cfg, false, &r,
                             &err) == 0);
    CHECK(r.kind == SEED_SCALE && r.scale == 1000 && r.seed == 7 && r.force);
    char *label = seed_request_label(&r);
    CHECK_STR(label, "scale --scale 1000 --seed 7");
    free(label);
    char *text = seed_request_format(&r, &err);
    SeedRequest back;
    CHECK(seed_request_parse(text, &cfg, false, &back, &err) == 0);
    CHECK(back.kind == SEED_SCALE && back.scale == 1000 && back.seed == 7 && back.force);
    seed_request_free(&back);
    free(text);
    seed_request_free(&r);
    CHECK(seed_request_parse("set=file\nfile=dir/x y.sql", &cfg, false, &r, &err) == 0);
    label = seed_request_label(&r);
    CHECK_STR(label, "file x y.sql");
    free(label);
    seed_request_free(&r);
    /* refused, with the reason */
    CHECK(seed_request_parse("set=scale", &cfg, false, &r, &err) == -1);
    CHECK_CONTAINS(err.message, "--scale N");
    db_error_clear(&err);
    CHECK(seed_request_parse("set=demo\nscale=3", &cfg, false, &r, &err) == -1);
    db_error_clear(&err);
    CHECK(seed_request_parse("set=scale\nscale=-3", &cfg, false, &r, &err) == -1);
    db_error_clear(&err);
    CHECK(seed_request_parse("set=scale\nscale=10\nseed=1x", &cfg, false, &r, &err) == -1);
    db_error_clear(&err);
    CHECK(seed_request_parse("set=nosuch", &cfg, false, &r, &err) == -1);
    CHECK_CONTAINS(err.message, "unknown seed set 'nosuch'");
    db_error_clear(&err);
    CHECK(seed_request_parse("set=files", &cfg, false, &r, &err) == -1);
    CHECK_CONTAINS(err.message, "[seed] dir");
    db_error_clear(&err);
    CHECK(seed_request_parse("what=ever", &cfg, false, &r, &err) == -1);
    db_error_clear(&err);
    /* reset: no set is every run; scale narrows */
    CHECK(seed_request_parse("", &cfg, true, &r, &err) == 0 && !r.kind_given);
    seed_request_free(&r);
    CHECK(seed_request_parse("set=scale\nseed=4", &cfg, true, &r, &err) == 0 && r.seed_given);
    seed_request_free(&r);
}

static void test_anomalies_setting(void)
{
    const char *ok[][2] = { { "1%", "100" }, { "0.5%", "50" }, { "0.25%", "25" }, { "0", "0" },
                            { "100%", "10000" } };
    const char *bad[] = { "5", "1.234%", "101%", "%", ".5%", "1%%", "-1%" };
    for (size_t i = 0; i < 5; i++) {
        FILE *f = fopen("cfg_seed.ini", "w");
        fprintf(f, "[seed]\nanomalies = %s\n", ok[i][0]);
        fclose(f);
        Config c;
        DbError err = DB_ERROR_INIT;
        CHECK(config_load(&c, "cfg_seed.ini", &err) == 0);
        CHECK(c.seed.anomalies == atoi(ok[i][1]));
        config_free(&c);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen("cfg_seed.ini", "w");
        fprintf(f, "[seed]\nanomalies = %s\n", bad[i]);
        fclose(f);
        Config c;
        DbError err = DB_ERROR_INIT;
        CHECK(config_load(&c, "cfg_seed.ini", &err) == -1);
        CHECK_CONTAINS(err.message, "cfg_seed.ini:2");
        CHECK_CONTAINS(err.message, "anomalies");
        db_error_clear(&err);
    }
    Config d;
    config_defaults(&d);
    CHECK(d.seed.anomalies == 100);
    config_free(&d);
}

int main(void)
{
    RUN(test_splitmix64_known_values);
    RUN(test_streams_are_fixed);
    RUN(test_bounds_and_weights);
    RUN(test_dates_and_money);
    RUN(test_request);
    RUN(test_anomalies_setting);
    return test_report();
}
