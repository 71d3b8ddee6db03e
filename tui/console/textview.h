/* textview.h: the one text view of the console, for SQL, revision files,
 * DDL, a whole value, the log and the messages: lines that wrap (w
 * toggles) or scroll sideways (h/l, 0/$), a search typed with '/' that
 * moves to the first match as it is typed (Esc goes back to where it
 * was), n/N for the next and previous match, line numbers when asked.
 *
 * The view keeps the text's lines (TextScroll, dialog.h) and the rows they
 * make at the width last drawn; a pane keeps one TextView per text it
 * shows and hands it keys before its own ("less" keys, as tig's pager).
 *
 * Order of calls:
 *   tv_init()             once (zeroed state; wrap on or off)
 *   tv_set_text()         the text (again: replaces it, back to the top);
 *   tv_append()           or lines added at the end (a log)
 *   tv_key()              a key for the view (before the pane's own)
 *   tv_draw()             its header line (title, place, the search
 *                         prompt while typed) and the rows below
 *   tv_free() */
#ifndef DBW_TEXTVIEW_H
#define DBW_TEXTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "colors.h"
#include "dialog.h"
#include "pane.h"
#include "rx.h"

/* The slot a line is drawn in (line: index in the text). */
typedef ThemeSlot (*TvStyle)(void *ctx, size_t line, const char *text);

typedef struct TvRow {
    size_t line;     /* index in the text */
    size_t off;      /* first byte of the line this row shows */
    size_t len;      /* bytes (wrapping); the whole rest otherwise */
    int    indent;   /* columns before it (a wrapped row: under its line) */
} TvRow;

typedef struct TextView {
    const Pane *pane;        /* for messages */
    TextScroll  text;        /* the lines (tabs made spaces) */
    bool        wrap;        /* long lines wrap; else they scroll sideways */
    bool        numbers;     /* a gutter with line numbers */
    int         hang;        /* wrapped rows indented this much more than
                                their line's own indentation */
    bool        follow;      /* keep the last line in view (a growing log) */
    TvStyle     style;       /* may be NULL: every line normal */
    void       *style_ctx;
    int        *kinds;       /* owned: a kind per line (tv_append_entry), or NULL */
    size_t      nkinds;
    /* the rows at the width of the last draw */
    TvRow      *rows;        /* owned */
    size_t      nrows;
    size_t      built;       /* lines of text made into rows */
    int         width;       /* text columns the rows were made for */
    int         longest;     /* widest line, in columns (for $) */
    size_t      top;         /* first row shown */
    size_t      top_line;    /* its line, kept across a new width */
    bool        relocate;    /* top_line was set before its rows were made */
    int         left;        /* first column shown (not wrapping) */
    int         page;        /* rows shown at the last draw, >= 1 */
    int         cols;        /* text columns shown at the last draw */
    /* the search */
    Rx         *search;      /* owned, or NULL */
    char       *search_text; /* owned */
    bool        prompting;
    LineEdit    edit;
    char       *before;      /* owned: the search when the prompt opened */
    size_t      before_top;  /* and the line on top then */
    char       *bad;         /* owned: why what is typed is no pattern */
    bool        missed;      /* what is typed matches nothing */
    size_t      at;          /* the line of the match shown last */
    bool        has_at;
} TextView;

void tv_init(TextView *tv, const Pane *pane, bool wrap);
void tv_free(TextView *tv);
/* Replaces the text (NULL: none); back to the top, the search kept. */
void tv_set_text(TextView *tv, const char *text);
/* Adds text at the end (newlines make more lines). */
void tv_append(TextView *tv, const char *text);
/* A log's entry: "HH:MM:SS  text" (local time of when; newlines in text
 * made spaces) as one line, of a kind of the caller's (tv_kind; the style
 * draws by it). */
void tv_append_entry(TextView *tv, time_t when, int kind, const char *text);
/* The kind of line i (0 for lines not added by tv_append_entry). */
int tv_kind(const TextView *tv, size_t i);
size_t tv_lines(const TextView *tv);
const char *tv_line(const TextView *tv, size_t i);

/* A key: moving (keys_list), h/l/0/$ sideways, w, '/', n/N.  false when
 * it is not one (Esc included: the pane's "back"); the prompt, while
 * open, takes every key. */
bool tv_key(TextView *tv, int key);
bool tv_prompting(const TextView *tv);
/* Whether line i matches the search (drawn highlighted). */
bool tv_matches(const TextView *tv, size_t i);

/* Draws into w from line y, height lines (the header first) and width
 * columns from x.  title is the header's left part. */
void tv_draw(TextView *tv, WINDOW *w, int y, int x, int height, int width, const char *title,
             const Palette *pal);
/* Draws the rows only (no header). */
void tv_draw_body(TextView *tv, WINDOW *w, int y, int x, int height, int width,
                  const Palette *pal);
/* "lines 3-22 of 40 · col 17" for a header of the pane's own. */
void tv_place(const TextView *tv, char *buf, size_t size);

extern const KeyTable keys_textview;

#endif
