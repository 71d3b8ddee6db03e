/* listview.c: see listview.h. */
#include "listview.h"

void lv_set_count(ListView *lv, size_t count)
{
    lv->count = count;
    if (count == 0) {
        lv->sel = lv->top = 0;
        return;
    }
    if (lv->sel >= count)
        lv->sel = count - 1;
    if (lv->top > lv->sel)
        lv->top = lv->sel;
}

static size_t page_of(const ListView *lv)
{
    return lv->page > 1 ? (size_t)lv->page : 1;
}

bool lv_apply(ListView *lv, KeyAction a)
{
    size_t last = lv->count ? lv->count - 1 : 0;
    switch (a) {
    case ACT_UP:
        lv->sel = lv->sel > 0 ? lv->sel - 1 : 0;
        break;
    case ACT_DOWN:
        lv->sel = lv->sel < last ? lv->sel + 1 : last;
        break;
    case ACT_PAGE_UP:
        lv->sel = lv->sel > page_of(lv) ? lv->sel - page_of(lv) : 0;
        lv->top = lv->top > page_of(lv) ? lv->top - page_of(lv) : 0;
        break;
    case ACT_PAGE_DOWN:
        lv->sel = last - lv->sel > page_of(lv) ? lv->sel + page_of(lv) : last;
        lv->top += page_of(lv);
        if (lv->top > lv->sel)
            lv->top = lv->sel;
        break;
    case ACT_TOP:
        lv->sel = 0;
        break;
    case ACT_BOTTOM:
        lv->sel = last;
        break;
    default:
        return false;
    }
    return true;
}

bool lv_key(ListView *lv, int key)
{
    return lv_apply(lv, keys_action(&keys_list, key));
}

void lv_scroll(ListView *lv, int visible)
{
    lv->page = visible > 1 ? visible : 1;
    size_t page = (size_t)lv->page;
    if (lv->count == 0) {
        lv->top = 0;
        return;
    }
    if (lv->sel < lv->top)
        lv->top = lv->sel;
    if (lv->sel >= lv->top + page)
        lv->top = lv->sel - page + 1;
    if (lv->count > page && lv->top > lv->count - page)
        lv->top = lv->count - page;
    if (lv->count <= page)
        lv->top = 0;
}

bool lv_click(ListView *lv, int row)
{
    if (row < 0 || row >= lv->page || lv->top + (size_t)row >= lv->count)
        return false;
    lv->sel = lv->top + (size_t)row;
    return true;
}
