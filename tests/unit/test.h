/* test.h: a tiny test harness (in the manner of Redis' testhelp.h).
 *
 *   TEST("url: postgres form") { CHECK(x == 1); CHECK_STR(a, "b"); }
 *   int main(void) { RUN(test_fn); ...; return test_report(); }
 *
 * CHECK prints file:line and the failed expression and counts a failure;
 * it does not stop the test. */
#ifndef DBW_TEST_H
#define DBW_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failures, test_checks;

#define CHECK(cond) do { test_checks++; if (!(cond)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); test_checks++; \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n   got: %s\n  want: %s\n", __FILE__, \
            __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)

#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
    test_checks++; if (!h_ || !strstr(h_, n_)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK_CONTAINS failed: %s\n   text: %s\n  wants: %s\n", \
            __FILE__, __LINE__, #hay, h_ ? h_ : "(null)", n_); } } while (0)

#define RUN(fn) do { int before_ = test_failures; fn(); \
    fprintf(stderr, "%s %s\n", test_failures == before_ ? "ok  " : "FAIL", #fn); } while (0)

static inline int test_report(void)
{
    fprintf(stderr, "%d checks, %d failed\n", test_checks, test_failures);
    return test_failures ? 1 : 0;
}

#endif
