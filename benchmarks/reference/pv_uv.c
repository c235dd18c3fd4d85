/*
 * pv_uv.c - single-threaded C reference for the pv_uv clickstream job, a calibration peer for
 * `spate bench query` (not part of the product). See README.md next to this file.
 *
 *   cc -O2 -o /tmp/pv_uv_ref pv_uv.c && /tmp/pv_uv_ref FILE
 *
 * FILE holds one JSON record per '\n'-separated line. The file is read into memory first (not
 * timed); then one timed pass validates every line completely (RFC 8259, strict UTF-8), takes
 * the top-level fields ts, ip, user_id and status while validating, converts them as Spate's
 * JSON decoder does, and aggregates per 10-second tumbling window: pv = rows with status < 500,
 * uv / ips = exact distinct non-null user_id / ip values.
 *
 * C11 and libc only; no allocation per line (hash tables and the string arena grow by doubling).
 */
#define _POSIX_C_SOURCE 199309L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW_MS 10000
#define NESTING_MAX 256 /* open containers, the top-level object included (as Spate) */
#define TS_TEXT_MAX 64  /* longer timestamp text is refused (as Spate) */

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define INLINE static inline __attribute__((always_inline))
#define CTZ64(x) __builtin_ctzll(x)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define INLINE static inline
static int CTZ64(unsigned long long x) {
    int n = 0;
    while (!(x & 1)) x >>= 1, n++;
    return n;
}
#endif

typedef const uint8_t *cur_t;

static void die(const char *what) {
    perror(what);
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) die("realloc");
    return q;
}

INLINE uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

INLINE uint32_t load32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

INLINE int is_digit(uint8_t c) { return (uint8_t)(c - '0') < 10; }

/* ------------------------------------------------------------------------------------------ */
/* JSON scanning                                                                               */

enum { T_ABSENT = 0, T_NULL, T_INT, T_NUM, T_STR, T_TRUE, T_FALSE, T_OBJ, T_ARR };

/* One value: for T_STR the string body (between the quotes, escapes unresolved); otherwise the
 * value's raw text. */
typedef struct {
    cur_t s;
    uint32_t len;
    uint8_t kind;
    uint8_t rank;    /* key match quality: 2 exact, 1 ASCII case-insensitive */
    uint8_t escaped; /* T_STR with a backslash in it */
    uint8_t exact;   /* T_INT with at most 18 digits: ival holds it */
    int64_t ival;
} tok_t;

INLINE cur_t skip_ws(cur_t p, cur_t end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

static int hex_value(uint8_t c) {
    if (is_digit(c)) return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* The four hex digits after "\u" at p (p points at the backslash), or -1. */
static int32_t hex4(cur_t p, cur_t end) {
    if (end - p < 6) return -1;
    int32_t v = 0;
    for (int i = 2; i < 6; i++) {
        int d = hex_value(p[i]);
        if (d < 0) return -1;
        v = v << 4 | d;
    }
    return v;
}

/* The escape at p (a backslash); the cursor after it, or NULL. Surrogates must pair up. */
static cur_t scan_escape(cur_t p, cur_t end) {
    if (end - p < 2) return NULL;
    switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return p + 2;
    case 'u': {
        int32_t unit = hex4(p, end);
        if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return NULL;
        p += 6;
        if (unit < 0xD800 || unit > 0xDBFF) return p;
        if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return NULL;
        int32_t low = hex4(p, end);
        if (low < 0xDC00 || low > 0xDFFF) return NULL;
        return p + 6;
    }
    default:
        return NULL;
    }
}

/* A UTF-8 sequence starting with a byte >= 0x80 at p (Unicode table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF); the cursor after it, or NULL. */
static cur_t scan_utf8(cur_t p, cur_t end) {
    uint8_t c = p[0];
    ptrdiff_t left = end - p;
    if (c >= 0xC2 && c <= 0xDF) {
        if (left < 2 || (p[1] & 0xC0) != 0x80) return NULL;
        return p + 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3) return NULL;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) return NULL;
        return p + 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4) return NULL;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return NULL;
        return p + 4;
    }
    return NULL;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* A string body from p (just past the opening quote) to past its closing quote, or NULL.
 * Eight bytes at a time while none is a quote, a backslash, a control byte or non-ASCII. */
INLINE cur_t scan_string(cur_t p, cur_t end, uint8_t *escaped) {
    for (;;) {
        while (end - p >= 8) {
            uint64_t w = load64(p);
            uint64_t q = w ^ (ONES * '"');
            uint64_t b = w ^ (ONES * '\\');
            /* the lowest flagged byte of each test is exact (borrows only run upward) */
            uint64_t m = ((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) | w;
            m &= HIGHS;
            if (m) {
                p += (unsigned)CTZ64(m) >> 3;
                goto special;
            }
            p += 8;
        }
        for (;;) {
            if (p >= end) return NULL;
            uint8_t c = *p;
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
            p++;
        }
    special:
        {
            uint8_t c = *p;
            if (c == '"') return p + 1;
            if (c == '\\') {
                *escaped = 1;
                p = scan_escape(p, end);
            } else if (c >= 0x80) {
                p = scan_utf8(p, end);
            } else {
                return NULL; /* control character */
            }
            if (!p) return NULL;
        }
    }
}

/* A number per the JSON grammar at p ('-' or a digit), into t; the cursor after it or NULL. */
INLINE cur_t scan_number(cur_t p, cur_t end, tok_t *t) {
    cur_t start = p;
    int neg = *p == '-';
    if (neg && ++p >= end) return NULL;
    cur_t digits = p;
    uint64_t v = 0;
    if (*p == '0') {
        p++;
    } else if (is_digit(*p)) {
        do {
            v = v * 10 + (uint64_t)(*p - '0');
            p++;
        } while (p < end && is_digit(*p));
    } else {
        return NULL;
    }
    t->kind = T_INT;
    t->exact = p - digits <= 18;
    t->ival = (int64_t)(neg ? 0 - v : v); /* used only when exact */
    if (p < end && (*p == '.' || (*p | 0x20) == 'e')) {
        t->kind = T_NUM;
        if (*p == '.') {
            if (++p >= end || !is_digit(*p)) return NULL;
            while (p < end && is_digit(*p)) p++;
        }
        if (p < end && (*p | 0x20) == 'e') {
            p++;
            if (p < end && (*p == '+' || *p == '-')) p++;
            if (p >= end || !is_digit(*p)) return NULL;
            while (p < end && is_digit(*p)) p++;
        }
    }
    t->s = start;
    t->len = (uint32_t)(p - start);
    return p;
}

static cur_t scan_literal(cur_t p, cur_t end, uint8_t *kind) {
    ptrdiff_t left = end - p;
    if (*p == 't' && left >= 4 && memcmp(p, "true", 4) == 0) { *kind = T_TRUE; return p + 4; }
    if (*p == 'f' && left >= 5 && memcmp(p, "false", 5) == 0) { *kind = T_FALSE; return p + 5; }
    if (*p == 'n' && left >= 4 && memcmp(p, "null", 4) == 0) { *kind = T_NULL; return p + 4; }
    return NULL;
}

/* A string, number or literal at p (not a container); the cursor after it or NULL. */
INLINE cur_t scan_scalar(cur_t p, cur_t end, tok_t *t) {
    uint8_t c = *p;
    if (c == '"') {
        t->escaped = 0;
        cur_t q = scan_string(p + 1, end, &t->escaped);
        if (!q) return NULL;
        t->kind = T_STR;
        t->s = p + 1;
        t->len = (uint32_t)(q - 1 - (p + 1));
        return q;
    }
    if (c == '-' || is_digit(c)) return scan_number(p, end, t);
    cur_t q = scan_literal(p, end, &t->kind);
    if (!q) return NULL;
    t->s = p;
    t->len = (uint32_t)(q - p);
    return q;
}

/* Validates and skips the object or array at p, nested inside the top-level object (so at most
 * NESTING_MAX - 1 levels deep), without recursion; the cursor after it or NULL. */
static cur_t skip_container(cur_t p, cur_t end) {
    enum { AFTER_OPEN, AFTER_VALUE, AFTER_COMMA };
    uint64_t stack[NESTING_MAX / 64] = {0}; /* bit set: an object */
    int depth = 0;
    int limit = NESTING_MAX - 1;
    stack[0] = *p == '{';
    depth = 1;
    p++;
    int state = AFTER_OPEN;
    tok_t t;
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end) return NULL;
        uint8_t c = *p;
        int top = depth - 1;
        int is_obj = (int)(stack[top >> 6] >> (top & 63) & 1);
        if (state != AFTER_COMMA && c == (is_obj ? '}' : ']')) {
            p++;
            if (--depth == 0) return p;
            state = AFTER_VALUE;
            continue;
        }
        if (state == AFTER_VALUE) {
            if (c != ',') return NULL;
            p++;
            state = AFTER_COMMA;
            continue;
        }
        if (is_obj) {
            if (c != '"') return NULL;
            uint8_t esc = 0;
            p = scan_string(p + 1, end, &esc);
            if (!p) return NULL;
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = skip_ws(p + 1, end);
            if (p >= end) return NULL;
            c = *p;
        }
        if (c == '{' || c == '[') {
            if (depth >= limit) return NULL;
            uint64_t bit = 1ULL << (depth & 63);
            if (c == '{') stack[depth >> 6] |= bit;
            else stack[depth >> 6] &= ~bit;
            depth++;
            p++;
            state = AFTER_OPEN;
            continue;
        }
        p = scan_scalar(p, end, &t);
        if (!p) return NULL;
        state = AFTER_VALUE;
    }
}

/* The member value at p (p < end), into t; the cursor after it or NULL. */
INLINE cur_t scan_value(cur_t p, cur_t end, tok_t *t) {
    uint8_t c = *p;
    if (c == '{' || c == '[') {
        cur_t q = skip_container(p, end);
        if (!q) return NULL;
        t->kind = c == '{' ? T_OBJ : T_ARR;
        t->s = p;
        t->len = (uint32_t)(q - p);
        return q;
    }
    return scan_scalar(p, end, t);
}

/* ------------------------------------------------------------------------------------------ */
/* Field conversions (Spate's rules)                                                           */

/* Appends the bytes a validated string body stands for to out; returns the new end. */
static uint8_t *unescape(cur_t s, size_t n, uint8_t *o) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c != '\\') {
            *o++ = c;
            i++;
            continue;
        }
        uint8_t k = s[i + 1];
        i += 2;
        switch (k) {
        case 'b': *o++ = 0x08; break;
        case 'f': *o++ = 0x0C; break;
        case 'n': *o++ = 0x0A; break;
        case 'r': *o++ = 0x0D; break;
        case 't': *o++ = 0x09; break;
        case 'u': {
            uint32_t cp = (uint32_t)hex4(s + i - 2, s + n);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t low = (uint32_t)hex4(s + i, s + n);
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            if (cp < 0x80) {
                *o++ = (uint8_t)cp;
            } else if (cp < 0x800) {
                *o++ = (uint8_t)(0xC0 | cp >> 6);
                *o++ = (uint8_t)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *o++ = (uint8_t)(0xE0 | cp >> 12);
                *o++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
                *o++ = (uint8_t)(0x80 | (cp & 0x3F));
            } else {
                *o++ = (uint8_t)(0xF0 | cp >> 18);
                *o++ = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
                *o++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
                *o++ = (uint8_t)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default: *o++ = k; break; /* \" \\ \/ */
        }
    }
    return o;
}

/* Decimal text [+-]?digits[.digits][(e|E)[+-]?digits] (a digit before or after the point) as an
 * exact Int64: whole values only (2e2 and 200.0 yes, 2.5 no), no rounding, no clamping. */
static int decimal_int64(cur_t s, size_t n, int64_t *out) {
    size_t i = 0;
    int neg = 0;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    size_t int_start = i;
    while (i < n && is_digit(s[i])) i++;
    size_t int_count = i - int_start, frac_start = i, frac_count = 0;
    if (i < n && s[i] == '.') {
        frac_start = ++i;
        while (i < n && is_digit(s[i])) i++;
        frac_count = i - frac_start;
    }
    if (int_count == 0 && frac_count == 0) return 0;
    int64_t exponent = 0;
    if (i < n && (s[i] | 0x20) == 'e') {
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            eneg = s[i] == '-';
            i++;
        }
        size_t run = i;
        while (i < n && is_digit(s[i])) {
            exponent = exponent * 10 + (s[i] - '0');
            if (exponent > 10000000) exponent = 10000000;
            i++;
        }
        if (i == run) return 0;
        if (eneg) exponent = -exponent;
    }
    if (i != n) return 0;
    size_t total = int_count + frac_count;
#define DIGIT(k) ((k) < int_count ? s[int_start + (k)] - '0' : s[frac_start + (k) - int_count] - '0')
    size_t first = 0;
    while (first < total && DIGIT(first) == 0) first++;
    if (first == total) {
        *out = 0;
        return 1;
    }
    size_t last = total - 1;
    while (DIGIT(last) == 0) last--;
    int64_t scale = exponent - (int64_t)frac_count + (int64_t)(total - 1 - last);
    if (scale < 0) return 0;
    if ((int64_t)(last - first + 1) + scale > 19) return 0;
    uint64_t mag = 0;
    for (size_t k = first; k <= last; k++) mag = mag * 10 + (uint64_t)DIGIT(k);
#undef DIGIT
    for (int64_t k = 0; k < scale; k++) {
        if (mag > UINT64_MAX / 10) return 0;
        mag *= 10;
    }
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1) return 0;
        *out = (int64_t)(0 - mag);
    } else {
        if (mag > (uint64_t)INT64_MAX) return 0;
        *out = (int64_t)mag;
    }
    return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t civil_days(int64_t y, int64_t m, int64_t d) {
    y = m <= 2 ? y - 1 : y;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t days_in_month(int64_t y, int64_t m) {
    if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
    if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
    return 31;
}

/* count digits at *pos as a number, or -1. */
INLINE int64_t digits_at(cur_t s, size_t n, size_t *pos, int count) {
    if (n - *pos < (size_t)count) return -1;
    int64_t v = 0;
    for (int i = 0; i < count; i++) {
        uint8_t d = (uint8_t)(s[*pos + i] - '0');
        if (d >= 10) return -1;
        v = v * 10 + d;
    }
    *pos += (size_t)count;
    return v;
}

/* Timestamp text as epoch ms: -?digits (at most 19, fitting Int64) or ISO-8601
 * YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)f{1,9}]][Z|z|±HH[[:]MM]]] (also ±YYYYYY years); fractions
 * are truncated to ms, text without an offset is UTC. */
static int parse_ts_text(cur_t s, size_t n, int64_t *out) {
    size_t i = n > 0 && s[0] == '-' ? 1 : 0;
    if (n > i && n - i <= 19) {
        uint64_t mag = 0;
        size_t k = i;
        while (k < n && is_digit(s[k])) mag = mag * 10 + (uint64_t)(s[k++] - '0');
        if (k == n) {
            if (i == 1 && mag <= (uint64_t)INT64_MAX + 1) { *out = (int64_t)(0 - mag); return 1; }
            if (i == 0 && mag <= (uint64_t)INT64_MAX) { *out = (int64_t)mag; return 1; }
        }
    }
    if (n == 0 || n > TS_TEXT_MAX) return 0;
    size_t pos = 0;
    int64_t year;
    if (s[0] == '+' || s[0] == '-') {
        pos = 1;
        year = digits_at(s, n, &pos, 6);
        if (year < 0) return 0;
        if (s[0] == '-') year = -year;
    } else {
        year = digits_at(s, n, &pos, 4);
        if (year < 0) return 0;
    }
    if (pos >= n || s[pos++] != '-') return 0;
    int64_t month = digits_at(s, n, &pos, 2);
    if (month < 1 || month > 12) return 0;
    if (pos >= n || s[pos++] != '-') return 0;
    int64_t day = digits_at(s, n, &pos, 2);
    if (day < 1 || day > days_in_month(year, month)) return 0;
    int64_t ms = civil_days(year, month, day) * 86400000;
    if (pos == n) {
        *out = ms;
        return 1;
    }
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return 0;
    pos++;
    int64_t hour = digits_at(s, n, &pos, 2);
    if (hour < 0 || pos >= n || s[pos++] != ':') return 0;
    int64_t minute = digits_at(s, n, &pos, 2);
    if (minute < 0) return 0;
    int64_t second = 0, frac = 0;
    if (pos < n && s[pos] == ':') {
        pos++;
        second = digits_at(s, n, &pos, 2);
        if (second < 0) return 0;
        if (pos < n && (s[pos] == '.' || s[pos] == ',')) {
            pos++;
            int count = 0;
            while (pos < n && is_digit(s[pos])) {
                if (count == 9) return 0;
                if (count < 3) frac = frac * 10 + (s[pos] - '0');
                count++;
                pos++;
            }
            if (count == 0) return 0;
            for (; count < 3; count++) frac *= 10;
        }
    }
    if (hour > 23 || minute > 59 || second > 59) return 0;
    int64_t offset = 0;
    if (pos < n) {
        uint8_t c = s[pos];
        if (c == 'Z' || c == 'z') {
            pos++;
        } else if (c == '+' || c == '-') {
            pos++;
            int64_t oh = digits_at(s, n, &pos, 2);
            if (oh < 0 || oh > 18) return 0;
            int64_t om = 0;
            if (pos < n && s[pos] == ':') {
                pos++;
                om = digits_at(s, n, &pos, 2);
            } else if (pos < n && is_digit(s[pos])) {
                om = digits_at(s, n, &pos, 2);
            }
            if (om < 0 || om > 59) return 0;
            offset = (oh * 60 + om) * 60000;
            if (c == '-') offset = -offset;
        } else {
            return 0;
        }
    }
    if (pos != n) return 0;
    *out = ms + ((hour * 60 + minute) * 60 + second) * 1000 + frac - offset;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Aggregation: windows and exact distinct sets                                                */

typedef struct {
    int64_t start;
    uint64_t pv, uv, ips;
} window_t;

static window_t *windows;
static size_t window_count, window_cap;

/* window start -> index + 1 (0: empty slot) */
typedef struct {
    int64_t start;
    uint32_t index1;
} wslot_t;

static wslot_t *wmap;
static size_t wmap_mask;
static int64_t last_start = INT64_MIN;
static uint32_t last_index = UINT32_MAX;

INLINE uint64_t mix64(uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

static void wmap_grow(void) {
    size_t cap = wmap ? (wmap_mask + 1) * 2 : 1024;
    wslot_t *t = calloc(cap, sizeof *t);
    if (!t) die("calloc");
    for (size_t w = 0; w < window_count; w++) {
        size_t i = mix64((uint64_t)windows[w].start) & (cap - 1);
        while (t[i].index1) i = (i + 1) & (cap - 1);
        t[i].start = windows[w].start;
        t[i].index1 = (uint32_t)w + 1;
    }
    free(wmap);
    wmap = t;
    wmap_mask = cap - 1;
}

static uint32_t window_index_slow(int64_t start) {
    size_t i = mix64((uint64_t)start) & wmap_mask;
    while (wmap[i].index1) {
        if (wmap[i].start == start) return wmap[i].index1 - 1;
        i = (i + 1) & wmap_mask;
    }
    if (window_count == window_cap) {
        window_cap = window_cap ? window_cap * 2 : 1024;
        windows = xrealloc(windows, window_cap * sizeof *windows);
    }
    uint32_t w = (uint32_t)window_count++;
    windows[w] = (window_t){start, 0, 0, 0};
    wmap[i].start = start;
    wmap[i].index1 = w + 1;
    if (window_count * 2 > wmap_mask + 1) wmap_grow();
    return w;
}

INLINE uint32_t window_index(int64_t start) {
    if (LIKELY(start == last_start && last_index != UINT32_MAX)) return last_index;
    last_index = window_index_slow(start);
    last_start = start;
    return last_index;
}

/* Set of (window, bytes): strings of up to 16 bytes live in the entry, longer ones in the arena. */
#define INLINE_BYTES 16
typedef struct {
    uint64_t hash; /* 0: empty slot */
    uint32_t window;
    uint32_t len;
    union {
        uint8_t bytes[INLINE_BYTES]; /* zero-padded */
        uint64_t words[2];
        uint64_t offset;
    } u;
} sentry_t;

typedef struct {
    sentry_t *slots;
    size_t mask, count;
} strset_t;

static uint8_t *arena;
static size_t arena_len, arena_cap;

static void set_init(strset_t *set, size_t cap) {
    set->slots = calloc(cap, sizeof(sentry_t));
    if (!set->slots) die("calloc");
    set->mask = cap - 1;
    set->count = 0;
}

static void set_grow(strset_t *set) {
    size_t cap = (set->mask + 1) * 2;
    sentry_t *t = calloc(cap, sizeof *t);
    if (!t) die("calloc");
    for (size_t i = 0; i <= set->mask; i++) {
        sentry_t *e = &set->slots[i];
        if (!e->hash) continue;
        size_t j = e->hash & (cap - 1);
        while (t[j].hash) j = (j + 1) & (cap - 1);
        t[j] = *e;
    }
    free(set->slots);
    set->slots = t;
    set->mask = cap - 1;
}

/* A 64-bit hash of n bytes with a seed (the window index). */
INLINE uint64_t hash_bytes(cur_t p, size_t n, uint64_t seed) {
    uint64_t h = (seed + 1) * 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    if (n >= 8) {
        cur_t q = p;
        size_t r = n;
        while (r > 8) {
            h = (h ^ load64(q)) * 0xbf58476d1ce4e5b9ULL;
            h ^= h >> 29;
            q += 8;
            r -= 8;
        }
        h = (h ^ load64(p + n - 8)) * 0x94d049bb133111ebULL;
    } else if (n >= 4) {
        h = (h ^ ((uint64_t)load32(p) << 32 | load32(p + n - 4))) * 0x94d049bb133111ebULL;
    } else if (n > 0) {
        h = (h ^ ((uint64_t)p[0] | (uint64_t)p[n >> 1] << 8 | (uint64_t)p[n - 1] << 16)) * 0x94d049bb133111ebULL;
    }
    h = mix64(h);
    return h ? h : 1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Up to 16 bytes at p as two zero-padded words (p may be read up to 16 bytes on: every buffer
 * strings come from has 64 bytes of padding). */
INLINE int short_equal(const sentry_t *e, cur_t p, size_t n) {
    uint64_t a = load64(p), b = load64(p + 8);
    if (n < 8) {
        a &= (1ULL << (8 * n)) - 1;
        b = 0;
    } else {
        b &= n == 16 ? ~0ULL : (1ULL << (8 * (n - 8))) - 1;
    }
    return e->u.words[0] == a && e->u.words[1] == b;
}
#else
INLINE int short_equal(const sentry_t *e, cur_t p, size_t n) { return memcmp(e->u.bytes, p, n) == 0; }
#endif

/* Adds (window, bytes); 1 when it was not there yet. */
INLINE int set_insert(strset_t *set, uint32_t window, cur_t p, size_t n) {
    uint64_t h = hash_bytes(p, n, window);
    size_t i = h & set->mask;
    for (;;) {
        sentry_t *e = &set->slots[i];
        if (!e->hash) break;
        if (e->hash == h && e->window == window && e->len == n &&
            (n <= INLINE_BYTES ? short_equal(e, p, n) : memcmp(arena + e->u.offset, p, n) == 0))
            return 0;
        i = (i + 1) & set->mask;
    }
    sentry_t *e = &set->slots[i];
    e->hash = h;
    e->window = window;
    e->len = (uint32_t)n;
    if (n <= INLINE_BYTES) {
        memcpy(e->u.bytes, p, n);
    } else {
        if (arena_len + n > arena_cap) {
            while (arena_len + n > arena_cap) arena_cap = arena_cap ? arena_cap * 2 : (1 << 20);
            arena = xrealloc(arena, arena_cap);
        }
        memcpy(arena + arena_len, p, n);
        e->u.offset = arena_len;
        arena_len += n;
    }
    if (++set->count * 2 > set->mask + 1) set_grow(set);
    return 1;
}

static strset_t users, ips;

/* ------------------------------------------------------------------------------------------ */
/* One line                                                                                    */

enum { F_TS, F_IP, F_USER, F_STATUS, F_COUNT };

/* Which field a key names (-1: none) and how well: exact (2) or ASCII case-insensitive (1). */
INLINE int match_key(cur_t k, size_t n, uint8_t *rank) {
    static const char *const names[F_COUNT] = {"ts", "ip", "user_id", "status"};
    int field;
    if (n == 2) {
        uint8_t a = k[0] | 0x20, b = k[1] | 0x20; /* only letters can fold to these */
        if (a == 't' && b == 's') field = F_TS;
        else if (a == 'i' && b == 'p') field = F_IP;
        else return -1;
    } else if (n == 7) {
        field = F_USER;
    } else if (n == 6) {
        field = F_STATUS;
    } else {
        return -1;
    }
    const char *name = names[field];
    int same = n == 2 ? memcmp(k, name, 2) == 0 : n == 6 ? memcmp(k, name, 6) == 0 : memcmp(k, name, 7) == 0;
    if (same) {
        *rank = 2;
        return field;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t c = k[i];
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        if (c != (uint8_t)name[i]) return -1;
    }
    *rank = 1;
    return field;
}

/* A STRING column's value: a string's text (unescaped into the scratch when it must be), any
 * other value's raw JSON text. 0 for null or absent. */
INLINE int string_value(const tok_t *t, uint8_t **scratch, cur_t *s, size_t *n) {
    if (t->kind == T_ABSENT || t->kind == T_NULL) return 0;
    if (t->kind == T_STR && t->escaped) {
        uint8_t *o = unescape(t->s, t->len, *scratch);
        *s = *scratch;
        *n = (size_t)(o - *scratch);
        *scratch = o;
        return 1;
    }
    *s = t->s;
    *n = t->len;
    return 1;
}

/* Validates and aggregates one line; 0 when it is a dead letter. */
static int process_line(cur_t p, cur_t end, uint8_t *scratch) {
    tok_t f[F_COUNT];
    for (int i = 0; i < F_COUNT; i++) {
        f[i].kind = T_ABSENT;
        f[i].rank = 0;
    }
    uint8_t *scratch_base = scratch;

    p = skip_ws(p, end);
    if (p >= end || *p != '{') return 0;
    p = skip_ws(p + 1, end);
    if (p >= end) return 0;
    if (*p == '}') {
        p++;
    } else {
        for (;;) {
            if (*p != '"') return 0;
            cur_t key = p + 1;
            uint8_t kesc = 0;
            p = scan_string(key, end, &kesc);
            if (!p) return 0;
            size_t klen = (size_t)(p - 1 - key);
            if (p < end && *p != ':') p = skip_ws(p, end);
            if (p >= end || *p != ':') return 0;
            p++;
            if (p < end && *p <= 0x20) p = skip_ws(p, end);
            if (p >= end) return 0;
            tok_t t;
            p = scan_value(p, end, &t);
            if (!p) return 0;
            uint8_t rank = 0;
            int field;
            if (UNLIKELY(kesc)) {
                uint8_t *o = unescape(key, klen, scratch);
                field = match_key(scratch, (size_t)(o - scratch), &rank);
            } else {
                field = match_key(key, klen, &rank);
            }
            if (field >= 0 && rank >= f[field].rank) {
                t.rank = rank;
                f[field] = t;
            }
            if (p < end && *p <= 0x20) p = skip_ws(p, end);
            if (p >= end) return 0;
            if (*p == ',') {
                p++;
                if (p < end && *p <= 0x20) p = skip_ws(p, end);
                if (p >= end) return 0;
                continue;
            }
            if (*p != '}') return 0;
            p++;
            break;
        }
    }
    if (p < end) p = skip_ws(p, end);
    if (p != end) return 0;

    /* ts (the event time): required. Escaped text is unescaped into the scratch, which each
     * column reuses from its start. */
    cur_t s;
    size_t n;
    uint8_t *sc = scratch_base;
    int64_t ts;
    const tok_t *t = &f[F_TS];
    if (LIKELY(t->kind == T_INT && t->exact)) {
        ts = t->ival;
    } else if (t->kind == T_INT || t->kind == T_NUM) {
        if (!decimal_int64(t->s, t->len, &ts)) return 0;
    } else if (t->kind == T_STR) {
        if (!string_value(t, &sc, &s, &n) || !parse_ts_text(s, n, &ts)) return 0;
    } else {
        return 0; /* absent, null, true, false, object, array */
    }

    /* status: BIGINT, null allowed */
    int has_status = 1;
    int64_t status = 0;
    t = &f[F_STATUS];
    if (LIKELY(t->kind == T_INT && t->exact)) {
        status = t->ival;
    } else if (t->kind == T_ABSENT || t->kind == T_NULL) {
        has_status = 0;
    } else if (t->kind == T_INT || t->kind == T_NUM) {
        if (!decimal_int64(t->s, t->len, &status)) return 0;
    } else if (t->kind == T_STR) {
        sc = scratch_base;
        if (!string_value(t, &sc, &s, &n) || !decimal_int64(s, n, &status)) return 0;
    } else {
        return 0;
    }

    /* WHERE status < 500 (null: filtered out) */
    if (!has_status || status >= 500) return 1;

    /* window(ts, '10 seconds'): a row whose window bounds do not fit Int64 is in no window */
    int64_t mod = ts % WINDOW_MS;
    if (mod < 0) mod += WINDOW_MS;
    if (ts < INT64_MIN + mod) return 1;
    int64_t start = ts - mod;
    if (start > INT64_MAX - WINDOW_MS) return 1;

    uint32_t w = window_index(start);
    windows[w].pv++;
    sc = scratch_base;
    if (string_value(&f[F_USER], &sc, &s, &n) && set_insert(&users, w, s, n)) windows[w].uv++;
    if (string_value(&f[F_IP], &sc, &s, &n) && set_insert(&ips, w, s, n)) windows[w].ips++;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */

static int by_start(const void *a, const void *b) {
    int64_t x = ((const window_t *)a)->start, y = ((const window_t *)b)->start;
    return (x > y) - (x < y);
}

static double seconds(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) die("clock_gettime");
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE  (one JSON click event per line)\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) die(argv[1]);
    size_t size = 0, cap = 1 << 24;
    uint8_t *data = malloc(cap + 64);
    if (!data) die("malloc");
    for (;;) {
        if (size == cap) {
            cap *= 2;
            data = xrealloc(data, cap + 64);
        }
        size_t got = fread(data + size, 1, cap - size, file);
        size += got;
        if (got == 0) {
            if (ferror(file)) die("fread");
            break;
        }
    }
    fclose(file);
    memset(data + size, 0, 64);
    /* unescaped text of one line never exceeds the line */
    uint8_t *scratch = malloc(size + 64);
    if (!scratch) die("malloc");

    wmap_grow();
    set_init(&users, 1 << 16);
    set_init(&ips, 1 << 16);

    double wall0 = seconds(CLOCK_MONOTONIC), cpu0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t events = 0, malformed = 0, bytes = 0;
    cur_t p = data, end = data + size;
    while (p < end) {
        cur_t nl = memchr(p, '\n', (size_t)(end - p));
        cur_t line_end = nl ? nl : end;
        events++;
        bytes += (uint64_t)(line_end - p);
        if (!process_line(p, line_end, scratch)) malformed++;
        p = line_end + 1;
    }
    qsort(windows, window_count, sizeof *windows, by_start);
    double wall = seconds(CLOCK_MONOTONIC) - wall0, cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

    for (size_t w = 0; w < window_count; w++)
        printf("%lld %llu %llu %llu\n", (long long)windows[w].start, (unsigned long long)windows[w].pv,
               (unsigned long long)windows[w].uv, (unsigned long long)windows[w].ips);
    printf("events %llu malformed %llu seconds %.6f cpu_seconds %.6f events_per_s %.0f mb_per_s %.1f\n",
           (unsigned long long)events, (unsigned long long)malformed, wall, cpu, wall > 0 ? events / wall : 0.0,
           wall > 0 ? bytes / 1e6 / wall : 0.0);
    free(scratch);
    free(data);
    free(arena);
    free(users.slots);
    free(ips.slots);
    free(wmap);
    free(windows);
    return 0;
}
