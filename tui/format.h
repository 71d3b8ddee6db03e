/* format.h: how numbers are written for people, the same in the console
 * and on the command line. */
#ifndef DBW_FORMAT_H
#define DBW_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "4.0 KiB", "38 MiB", "1.2 GiB"; "-" when bytes < 0 (unknown).
 * Returns buf. */
const char *fmt_bytes(int64_t bytes, char *buf, size_t size);

#endif
