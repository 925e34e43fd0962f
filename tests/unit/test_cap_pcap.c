/*
 * test_cap_pcap.c - unit tests for sensor/cap_pcap.c's block reader of
 * classic pcap files: every record once, in order, with its lengths,
 * timestamp and bytes; a file of many blocks whose records straddle block
 * ends; nanosecond and byte-swapped files; a file cut in a record header or
 * in a frame, or with an impossible caplen; two files in a row.
 *
 * The sink keeps a pointer to every frame until the sync for its region and
 * re-reads the bytes there, so a block refilled too early shows up as a
 * changed frame. Files are written by the tests under /tmp and removed by
 * the teardown, also when an assertion fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../sensor/cap_pcap.c"

#define BIG_FRAME 200000u
#define SEC0      1700000000u

enum tail {
    TAIL_NONE = 0,
    TAIL_CUT_HDR,     /* 10 bytes of one more record header */
    TAIL_CUT_FRAME,   /* one more record with half its frame */
    TAIL_HUGE_CAPLEN, /* a header with caplen 262145, then two good records */
    TAIL_COUNT
};

/* One test file: records 0..count-1, all derived from (file, i). */
struct gen {
    uint32_t file;  /* top byte of each frame's index: tells files apart */
    uint32_t count; /* complete records */
    bool nsec, swap;
    bool big; /* mix in 200000-byte and 262144-byte frames */
    enum tail tail;
};

static uint32_t
frame_len(const struct gen *g, uint32_t i)
{
    if (g->big && i % 97 == 50)
        return (i / 97) % 4 == 0 ? CAP_MAX_CAPLEN : BIG_FRAME + i % 5;
    if (i % 3 == 0)
        return 60;
    return 61 + (i * 37u) % 1454;
}

static uint32_t
frame_idx(const struct gen *g, uint32_t i)
{
    return g->file << 24 | i;
}

static uint32_t
frame_frac(const struct gen *g, uint32_t i)
{
    return g->nsec ? (uint32_t)(i * 7919123ull % 1000000000u) : i * 7919u % 1000000u;
}

/* Frame bytes: the index little-endian, then (index + offset) & 0xff. */
static uint8_t
frame_byte(uint32_t idx, uint32_t k)
{
    return (uint8_t)(k < 4 ? idx >> (8 * k) : idx + k);
}

/* How many leading bytes match the pattern: len when the frame is intact. */
static uint32_t
frame_intact_len(const uint8_t *data, uint32_t len, uint32_t idx)
{
    uint32_t k;

    for (k = 0; k < len; k++)
        if (data[k] != frame_byte(idx, k))
            break;
    return k;
}

static void
put32(uint8_t *b, uint32_t v, bool swap)
{
    for (int k = 0; k < 4; k++)
        b[k] = (uint8_t)(v >> (swap ? 24 - 8 * k : 8 * k));
}

static void
write_record(FILE *f, const struct gen *g, uint32_t i, uint32_t caplen, uint32_t keep)
{
    static uint8_t buf[16 + CAP_MAX_CAPLEN];

    put32(buf, SEC0 + i, g->swap);
    put32(buf + 4, frame_frac(g, i), g->swap);
    put32(buf + 8, caplen, g->swap);
    put32(buf + 12, caplen + i % 3, g->swap);
    for (uint32_t k = 0; k < caplen && k < CAP_MAX_CAPLEN; k++)
        buf[16 + k] = frame_byte(frame_idx(g, i), k);
    assert_int_equal(fwrite(buf, 1, keep, f), keep);
}

/* Writes g into a new file under /tmp, named in path; returns its size. */
static long
write_pcap(const struct gen *g, char path[32])
{
    uint8_t hdr[24];
    uint32_t i, n;
    long size;
    FILE *f;
    int fd;

    snprintf(path, 32, "/tmp/test_cap_pcap.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    put32(hdr, g->nsec ? 0xa1b23c4d : 0xa1b2c3d4, g->swap);
    /* version 2.4: two 16-bit fields */
    hdr[4] = g->swap ? 0 : 2;
    hdr[5] = g->swap ? 2 : 0;
    hdr[6] = g->swap ? 0 : 4;
    hdr[7] = g->swap ? 4 : 0;
    put32(hdr + 8, 0, g->swap);  /* thiszone */
    put32(hdr + 12, 0, g->swap); /* sigfigs */
    put32(hdr + 16, 262144, g->swap);
    put32(hdr + 20, 1, g->swap); /* Ethernet */
    assert_int_equal(fwrite(hdr, 1, sizeof(hdr), f), sizeof(hdr));
    for (i = 0; i < g->count; i++)
        write_record(f, g, i, frame_len(g, i), 16 + frame_len(g, i));
    n = frame_len(g, i);
    if (g->tail == TAIL_CUT_HDR)
        write_record(f, g, i, n, 10);
    else if (g->tail == TAIL_CUT_FRAME)
        write_record(f, g, i, n, 16 + n / 2);
    else if (g->tail == TAIL_HUGE_CAPLEN) {
        write_record(f, g, i, CAP_MAX_CAPLEN + 1, 16 + 64);
        write_record(f, g, i + 1, frame_len(g, i + 1), 16 + frame_len(g, i + 1));
        write_record(f, g, i + 2, frame_len(g, i + 2), 16 + frame_len(g, i + 2));
    }
    size = ftell(f);
    assert_int_equal(fclose(f), 0);
    return size;
}

struct held {
    const uint8_t *data;
    uint32_t caplen, idx;
    int region;
};

/* Checks each frame as it comes, and again at the sync for its region. */
struct sink {
    const struct gen *gen; /* the files in input order */
    unsigned ngen, file;   /* the file the next frame must come from */
    uint32_t next;         /* its record number in that file */
    uint64_t frames, rechecked;
    struct held *held; /* frames no sync has released yet */
    size_t nheld;
    unsigned in_region[CAP_REGIONS];   /* held frames per region */
    uint32_t region_file[CAP_REGIONS]; /* the file they came from */
    uintptr_t region_end[CAP_REGIONS]; /* end of the last one */
    int want_sync;                     /* the region the next sync must name */
    unsigned syncs;                    /* syncs for one region, not -1 */
    bool done;                         /* sync(-1) seen */
};

static void
sink_packet(void *ctx, const uint8_t *data, uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
            int linktype, int region)
{
    struct sink *s = ctx;
    const struct gen *g;
    uint32_t i;

    assert_false(s->done);
    while (s->file < s->ngen && s->next == s->gen[s->file].count) {
        s->file++;
        s->next = 0;
    }
    assert_true(s->file < s->ngen); /* no frame beyond the complete records */
    g = &s->gen[s->file];
    i = s->next++;
    assert_int_equal(caplen, frame_len(g, i));
    assert_int_equal(wirelen, caplen + i % 3);
    assert_int_equal(ts_us, (uint64_t)(SEC0 + i) * 1000000u +
                                    (g->nsec ? frame_frac(g, i) / 1000 : frame_frac(g, i)));
    assert_int_equal(linktype, 1);
    assert_in_range(region, 0, CAP_REGIONS - 1);
    assert_int_equal(frame_intact_len(data, caplen, frame_idx(g, i)), caplen);
    if (s->in_region[region] > 0) {
        /* The region still holds frames: a new one must come from the same
         * fill of the block, after them, not from a refill over them. */
        assert_int_equal(s->region_file[region], g->file);
        assert_true((uintptr_t)data >= s->region_end[region]);
    }
    s->held[s->nheld++] = (struct held){data, caplen, frame_idx(g, i), region};
    s->in_region[region]++;
    s->region_file[region] = g->file;
    s->region_end[region] = (uintptr_t)(data + caplen);
    s->frames++;
}

static void
sink_sync(void *ctx, int region)
{
    struct sink *s = ctx;
    size_t i, kept = 0;

    assert_false(s->done);
    if (region < 0) {
        assert_int_equal(region, -1);
        s->done = true;
    } else {
        /* blocks are used in turn, the first one after block 0 */
        assert_int_equal(region, s->want_sync);
        s->want_sync = (region + 1) % CAP_REGIONS;
        s->syncs++;
    }
    for (i = 0; i < s->nheld; i++) {
        const struct held *h = &s->held[i];
        if (region >= 0 && h->region != region) {
            s->held[kept++] = *h;
            continue;
        }
        /* the block is about to be reused: its frames must be as delivered */
        assert_int_equal(frame_intact_len(h->data, h->caplen, h->idx), h->caplen);
        s->rechecked++;
    }
    s->nheld = kept;
    for (i = 0; i < CAP_REGIONS; i++)
        if (region < 0 || (int)i == region)
            s->in_region[i] = 0;
}

struct fx {
    struct gen gen[2];
    unsigned n;
    char path[2][32];
    long size[2];
    struct sink s;
    struct cap_stats st;
};

static int
fx_setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    if (x == NULL)
        return -1;
    *state = x;
    return 0;
}

static int
fx_teardown(void **state)
{
    struct fx *x = *state;

    for (unsigned i = 0; i < 2; i++)
        if (x->path[i][0] != '\0')
            unlink(x->path[i]);
    free(x->s.held);
    free(x);
    return 0;
}

/* Writes the n files, reads them as two inputs and checks the sink's totals. */
static void
fx_run(struct fx *x)
{
    const char *in[2] = {x->path[0], x->path[1]};
    volatile int stop = 0;
    uint64_t want = 0;

    for (unsigned i = 0; i < x->n; i++) {
        x->size[i] = write_pcap(&x->gen[i], x->path[i]);
        want += x->gen[i].count;
    }
    x->s = (struct sink){.gen = x->gen, .ngen = x->n, .want_sync = 1};
    x->s.held = calloc(want + 1, sizeof(x->s.held[0]));
    assert_non_null(x->s.held);
    assert_int_equal(cap_pcap_run(in, x->n, sink_packet, sink_sync, &x->s, &x->st, &stop), 0);
    assert_true(x->s.done);
    assert_int_equal(x->s.frames, want);
    assert_int_equal(x->s.rechecked, want); /* every frame was held to its sync */
    assert_int_equal(x->s.nheld, 0);
    assert_int_equal(x->st.packets, want);
    assert_int_equal(x->st.files, x->n);
}

static void
test_records_in_order(void **state)
{
    struct fx *x = *state;

    x->gen[0].count = 300;
    x->n = 1;
    fx_run(x);
    assert_int_equal(x->s.next, 300);
    assert_int_equal(x->st.truncated_files, 0);
}

static void
test_frames_valid_until_sync(void **state)
{
    struct fx *x = *state;

    x->gen[0] = (struct gen){.count = 17000, .big = true};
    x->n = 1;
    fx_run(x);
    /* ~47 MB: more than all the blocks, so each is refilled at least once */
    assert_true(x->size[0] > (long)(CAP_REGIONS + 2) * CAP_BLOCK);
    assert_true(x->s.syncs >= CAP_REGIONS + 2);
    assert_int_equal(x->st.truncated_files, 0);
}

static void
test_nsec_timestamps(void **state)
{
    struct fx *x = *state;

    x->gen[0] = (struct gen){.count = 500, .nsec = true};
    x->n = 1;
    fx_run(x);
    assert_int_equal(x->st.truncated_files, 0);
}

static void
test_swapped_files(void **state)
{
    struct fx *x = *state;

    x->gen[0] = (struct gen){.file = 0, .count = 400, .swap = true};
    x->gen[1] = (struct gen){.file = 1, .count = 400, .swap = true, .nsec = true};
    x->n = 2;
    fx_run(x);
    assert_int_equal(x->st.truncated_files, 0);
}

/* 40 good records, then the tail: all 40 arrive and the file counts as cut. */
static void
run_cut_file(struct fx *x, enum tail tail)
{
    x->gen[0] = (struct gen){.count = 40, .tail = tail};
    x->n = 1;
    fx_run(x);
    assert_int_equal(x->st.packets, 40);
    assert_int_equal(x->st.truncated_files, 1);
}

static void
test_cut_record_header(void **state)
{
    run_cut_file(*state, TAIL_CUT_HDR);
}

static void
test_cut_frame(void **state)
{
    run_cut_file(*state, TAIL_CUT_FRAME);
}

/* The two good records after the bad header are never reached. */
static void
test_huge_caplen_stops_file(void **state)
{
    run_cut_file(*state, TAIL_HUGE_CAPLEN);
}

/*
 * ~10 MB then ~31 MB: the second file wraps onto blocks that still hold
 * frames of the first. A file stopped early (bad caplen) is not synced to
 * its end, so its last block is still held when the next file starts.
 */
static void
run_two_files(struct fx *x, enum tail first_tail)
{
    x->gen[0] = (struct gen){.file = 0, .count = 4000, .big = true, .tail = first_tail};
    x->gen[1] = (struct gen){.file = 1, .count = 12000, .big = true};
    x->n = 2;
    fx_run(x);
    assert_true(x->size[0] + x->size[1] > (long)CAP_REGIONS * CAP_BLOCK);
    assert_true(x->s.syncs >= CAP_REGIONS + 2);
    assert_int_equal(x->s.file, 1);
    assert_int_equal(x->s.next, 12000);
    assert_int_equal(x->st.truncated_files, first_tail == TAIL_NONE ? 0 : 1);
}

static void
test_two_files_share_blocks(void **state)
{
    run_two_files(*state, TAIL_NONE);
}

static void
test_stopped_file_then_next(void **state)
{
    run_two_files(*state, TAIL_HUGE_CAPLEN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_records_in_order, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_frames_valid_until_sync, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_nsec_timestamps, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_swapped_files, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_cut_record_header, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_cut_frame, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_huge_caplen_stops_file, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_two_files_share_blocks, fx_setup, fx_teardown),
            cmocka_unit_test_setup_teardown(test_stopped_file_then_next, fx_setup, fx_teardown),
    };

    return cmocka_run_group_tests_name("cap_pcap", tests, NULL, NULL);
}
