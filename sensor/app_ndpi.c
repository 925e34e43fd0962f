/*
 * app_ndpi.c - nDPI (4.2) in a worker: one detection module, per-flow
 * states and results from fixed pools, and a heap for what nDPI allocates.
 *
 * Memory. nDPI allocates per flow while it inspects packets: the TLS
 * handshake reassembly buffer (2 KiB, grown by realloc), strdup'd strings
 * (ALPN, supported versions, certificate names, HTTP fields), the QUIC
 * CRYPTO reassembly buffer and the decrypted Initial payload; libgcrypt,
 * which nDPI calls to remove QUIC Initial protection, allocates cipher and
 * digest handles per packet. nDPI routes its own allocations through
 * ndpi_malloc/ndpi_free (set_ndpi_malloc), libgcrypt through
 * gcry_set_allocation_handler: both are installed once, and while a worker
 * is inside nDPI (app_ndpi_cur, thread-local) they take memory from that
 * worker's heap, a block of ndpi.memcap bytes allocated at start-up and cut
 * into power-of-two chunks with one free list per size. Outside a worker
 * (module set-up and tear-down in the main thread) they fall through to
 * libc. A request the heap cannot serve returns NULL, which nDPI and
 * libgcrypt treat as a failed allocation (the dissector stops for that
 * flow), and counts ndpi.memcap. The LRU caches nDPI creates lazily on the
 * first flow of some protocols (bittorrent 256 KiB, others 4-8 KiB) are
 * created here at start-up instead.
 *
 * The flow structs themselves (688 bytes each) come from the state pool,
 * zeroed on take; ndpi_free_flow_data() gives back what nDPI hung on them.
 * Pools and heap are handed out in order until first exhausted, then from
 * their free lists, so memory no flow has needed is never touched.
 *
 * Measured with nDPI 4.2 (tests/unit/test_ndpi.c interposes malloc; strace
 * of whole runs): once a module is set up, every allocation nDPI makes
 * while inspecting packets goes through ndpi_malloc, every one libgcrypt
 * makes through its handler, none reaches libc, and nDPI adds no system
 * call per packet. ndpi_malloc itself adds to a process-wide counter with
 * an atomic add (nDPI's own statistics): no lock, one shared cache line.
 *
 * Hostile input: nDPI reads the IP packet from p->data + l3_off for
 * l3_len bytes (the IP length trimmed to what was captured), and never
 * sees a byte beyond. The server name it extracts is logged through the
 * JSON writer's escaping, with its length bounded by nDPI's buffer.
 */
#include "app_ndpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
/* For the module's lazily created caches (app_ndpi_caches_create), which
 * only nDPI's internal view of its module shows. */
#define NDPI_LIB_COMPILATION 1
#include <ndpi/ndpi_api.h>
#include <sanitizer/asan_interface.h>

#include "app_detect.h"
#include "stats_defs.h"

/* The field nDPI's state hangs on must not push struct flow past its budget. */
_Static_assert(sizeof(struct flow) <= 256, "struct flow grew past 256 bytes");

/*
 * f->ndpi_ref: 0 not seen yet; DONE nothing held; the RESULT bit with a
 * result's index + 1; otherwise a state's index + 1.
 */
#define APP_NDPI_REF_DONE   UINT32_MAX
#define APP_NDPI_REF_RESULT 0x80000000u
#define APP_NDPI_POOL_MAX   0x7ffffff0u
/* Results kept until flows are logged, per state (flows outlive their detection). */
#define APP_NDPI_RESULTS_PER_FLOW 4u

/* Heap chunks: 16-byte header, sizes 2^5 .. 2^16 bytes. */
#define APP_NDPI_HDR       16u
#define APP_NDPI_MIN_SHIFT 5u
#define APP_NDPI_MAX_SHIFT 16u
#define APP_NDPI_CLASSES   (APP_NDPI_MAX_SHIFT - APP_NDPI_MIN_SHIFT + 1u)
#define APP_NDPI_LIVE      0xa5u
#define APP_NDPI_FREED     0x5au

struct app_ndpi_heap {
    uint8_t *base;
    size_t size;
    size_t top;                      /* bytes carved so far */
    uint8_t *free[APP_NDPI_CLASSES]; /* chunk headers; next pointer after the header */
};

struct app_ndpi_slot {
    struct ndpi_flow_struct nf;
    ndpi_protocol named; /* nDPI's answer once it has one (metadata: it reads on) */
    uint32_t next;       /* free list: index + 1 */
    uint32_t pkts;       /* payload packets given to nDPI */
};

#define APP_NDPI_SNI_MAX sizeof(((struct ndpi_flow_struct *)0)->host_server_name)

struct app_ndpi_res {
    uint64_t risk;
    uint16_t master, app, category;
    uint8_t mapped; /* enum app_proto nDPI's answer maps to (unknown: none) */
    uint8_t confidence;
    uint8_t sni_len;
    char sni[APP_NDPI_SNI_MAX];
    uint32_t next; /* free list: index + 1 */
};

struct app_ndpi {
    struct app_ndpi_cfg cfg;
    struct ndpi_detection_module_struct *mod;
    uint64_t *ctr;
    struct app_ndpi_slot *slots;
    struct pool_list slot_list; /* free ones linked by next (pool.h) */
    struct app_ndpi_res *res;
    uint32_t n_res;
    struct pool_list res_list;
    struct app_ndpi_heap heap;
};

/* ---- nDPI answers in Suricata's names ---- */

/*
 * Suricata's app-layer name for nDPI's protocol ids, where Suricata has a
 * parser of its own, and the transports that parser is registered on
 * (TCP, UDP: Suricata's SMB is TCP only, so nDPI's SMB in a NetBIOS
 * datagram on UDP 138 is no "smb"). HTTP, DNS and SMTP are listed so that
 * nDPI's answer is known for what it is, but never given to a flow: the
 * sensor's own probes decide those. Left out: protocols Suricata has no
 * name for, and those whose Suricata detection depends on more than the
 * flow itself (ftp-data follows the control channel; bittorrent-dht is one
 * of nDPI's BitTorrent cases).
 */
#define APP_NDPI_TCP 0x1u
#define APP_NDPI_UDP 0x2u
#define APP_NDPI_ANY (APP_NDPI_TCP | APP_NDPI_UDP)

static const struct {
    uint8_t app; /* enum app_proto */
    uint8_t l4;  /* APP_NDPI_TCP / _UDP */
} app_ndpi_map[NDPI_MAX_SUPPORTED_PROTOCOLS] = {
        [NDPI_PROTOCOL_HTTP] = {APP_PROTO_HTTP, APP_NDPI_TCP},
        [NDPI_PROTOCOL_DNS] = {APP_PROTO_DNS, APP_NDPI_ANY},
        [NDPI_PROTOCOL_MAIL_SMTP] = {APP_PROTO_SMTP, APP_NDPI_TCP},
        [NDPI_PROTOCOL_TLS] = {APP_PROTO_TLS, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MAIL_POPS] = {APP_PROTO_TLS, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MAIL_SMTPS] = {APP_PROTO_TLS, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MAIL_IMAPS] = {APP_PROTO_TLS, APP_NDPI_TCP},
        [NDPI_PROTOCOL_SSH] = {APP_PROTO_SSH, APP_NDPI_TCP},
        [NDPI_PROTOCOL_FTP_CONTROL] = {APP_PROTO_FTP, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MAIL_IMAP] = {APP_PROTO_IMAP, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MAIL_POP] = {APP_PROTO_POP3, APP_NDPI_TCP},
        [NDPI_PROTOCOL_SMBV1] = {APP_PROTO_SMB, APP_NDPI_TCP},
        [NDPI_PROTOCOL_SMBV23] = {APP_PROTO_SMB, APP_NDPI_TCP},
        [NDPI_PROTOCOL_DCERPC] = {APP_PROTO_DCERPC, APP_NDPI_ANY},
        [NDPI_PROTOCOL_NFS] = {APP_PROTO_NFS, APP_NDPI_ANY},
        [NDPI_PROTOCOL_NTP] = {APP_PROTO_NTP, APP_NDPI_UDP},
        [NDPI_PROTOCOL_TFTP] = {APP_PROTO_TFTP, APP_NDPI_UDP},
        [NDPI_PROTOCOL_KERBEROS] = {APP_PROTO_KRB5, APP_NDPI_ANY},
        [NDPI_PROTOCOL_DHCP] = {APP_PROTO_DHCP, APP_NDPI_UDP},
        [NDPI_PROTOCOL_SNMP] = {APP_PROTO_SNMP, APP_NDPI_UDP},
        [NDPI_PROTOCOL_SIP] = {APP_PROTO_SIP, APP_NDPI_ANY},
        [NDPI_PROTOCOL_RDP] = {APP_PROTO_RDP, APP_NDPI_TCP},
        [NDPI_PROTOCOL_VNC] = {APP_PROTO_RFB, APP_NDPI_TCP},
        [NDPI_PROTOCOL_MQTT] = {APP_PROTO_MQTT, APP_NDPI_TCP},
        [NDPI_PROTOCOL_LDAP] = {APP_PROTO_LDAP, APP_NDPI_ANY},
        [NDPI_PROTOCOL_TELNET] = {APP_PROTO_TELNET, APP_NDPI_TCP},
        [NDPI_PROTOCOL_QUIC] = {APP_PROTO_QUIC, APP_NDPI_UDP},
        [NDPI_PROTOCOL_MDNS] = {APP_PROTO_MDNS, APP_NDPI_UDP},
};

static uint8_t
app_ndpi_map_one(uint16_t id, uint8_t l4)
{
    if (id >= NDPI_MAX_SUPPORTED_PROTOCOLS || !(app_ndpi_map[id].l4 & l4))
        return APP_PROTO_UNKNOWN;
    return app_ndpi_map[id].app;
}

/*
 * nDPI's master protocol first (TLS of "TLS.Google"), else its app
 * protocol; l4proto: the flow's IP protocol (6, 17).
 */
static uint8_t
app_ndpi_map_proto(uint16_t master, uint16_t app, uint8_t l4proto)
{
    uint8_t l4 = l4proto == 6 ? APP_NDPI_TCP : l4proto == 17 ? APP_NDPI_UDP : 0;
    uint8_t m = app_ndpi_map_one(master, l4);

    return m != APP_PROTO_UNKNOWN ? m : app_ndpi_map_one(app, l4);
}

/* The probes' own protocols: nDPI never names a flow as one of these. */
static bool
app_ndpi_is_own(uint8_t p)
{
    return p == APP_PROTO_HTTP || p == APP_PROTO_DNS || p == APP_PROTO_SMTP;
}

void
app_ndpi_cfg_defaults(struct app_ndpi_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->enabled = true;
    c->metadata = false;
    c->max_packets = 24; /* Suricata's nDPI plugin: 24 TCP packets */
    c->flows = 8192;
    c->memcap = 16u << 20;
}

/* ---- The heap ---- */

static unsigned
app_ndpi_class_of(size_t n)
{
    unsigned c = 0;

    while (((size_t)1 << (c + APP_NDPI_MIN_SHIFT)) < n + APP_NDPI_HDR)
        c++;
    return c;
}

static bool
app_ndpi_heap_owns(const struct app_ndpi_heap *h, const void *p)
{
    return h->base != NULL && (uintptr_t)p - (uintptr_t)h->base < h->size;
}

static void *
app_ndpi_heap_alloc(struct app_ndpi *x, size_t n)
{
    struct app_ndpi_heap *h = &x->heap;
    unsigned c;
    size_t sz;
    uint8_t *chunk;

    if (n > ((size_t)1 << APP_NDPI_MAX_SHIFT) - APP_NDPI_HDR) {
        x->ctr[STAT_NDPI_MEMCAP]++;
        return NULL;
    }
    c = app_ndpi_class_of(n);
    sz = (size_t)1 << (c + APP_NDPI_MIN_SHIFT);
    chunk = h->free[c];
    if (chunk != NULL) {
        ASAN_UNPOISON_MEMORY_REGION(chunk, APP_NDPI_HDR + sizeof(uint8_t *));
        NIDS_BUG_ON(chunk[1] != APP_NDPI_FREED);
        memcpy(&h->free[c], chunk + APP_NDPI_HDR, sizeof(uint8_t *));
    } else {
        if (sz > h->size - h->top) {
            x->ctr[STAT_NDPI_MEMCAP]++;
            return NULL;
        }
        chunk = h->base + h->top;
        h->top += sz;
        ASAN_UNPOISON_MEMORY_REGION(chunk, APP_NDPI_HDR);
    }
    chunk[0] = (uint8_t)c;
    chunk[1] = APP_NDPI_LIVE;
    ASAN_POISON_MEMORY_REGION(chunk, APP_NDPI_HDR);
    ASAN_UNPOISON_MEMORY_REGION(chunk + APP_NDPI_HDR, n);
    x->ctr[STAT_NDPI_MEMUSE] += sz;
    return chunk + APP_NDPI_HDR;
}

/* Usable bytes of the chunk at p (owned by h). */
static size_t
app_ndpi_heap_cap(const uint8_t *p)
{
    const uint8_t *chunk = p - APP_NDPI_HDR;
    unsigned c;

    ASAN_UNPOISON_MEMORY_REGION(chunk, APP_NDPI_HDR);
    c = chunk[0];
    ASAN_POISON_MEMORY_REGION(chunk, APP_NDPI_HDR);
    return ((size_t)1 << (c + APP_NDPI_MIN_SHIFT)) - APP_NDPI_HDR;
}

static void
app_ndpi_heap_free(struct app_ndpi *x, uint8_t *p)
{
    struct app_ndpi_heap *h = &x->heap;
    uint8_t *chunk = p - APP_NDPI_HDR;
    unsigned c;

    ASAN_UNPOISON_MEMORY_REGION(chunk, APP_NDPI_HDR + sizeof(uint8_t *));
    c = chunk[0];
    if (c >= APP_NDPI_CLASSES || chunk[1] != APP_NDPI_LIVE) {
        NIDS_BUG_ON(true); /* double free or a pointer that is no chunk */
        ASAN_POISON_MEMORY_REGION(chunk, APP_NDPI_HDR);
        return;
    }
    chunk[1] = APP_NDPI_FREED;
    memcpy(chunk + APP_NDPI_HDR, &h->free[c], sizeof(uint8_t *));
    h->free[c] = chunk;
    x->ctr[STAT_NDPI_MEMUSE] -= (size_t)1 << (c + APP_NDPI_MIN_SHIFT);
    ASAN_POISON_MEMORY_REGION(chunk, (size_t)1 << (c + APP_NDPI_MIN_SHIFT));
}

/* ---- Allocation hooks (installed once; routed by the calling thread) ---- */

/* The worker context whose heap serves nDPI now; NULL outside app_ndpi calls. */
static _Thread_local struct app_ndpi *app_ndpi_cur;

static void *
app_ndpi_hook_malloc(size_t n)
{
    struct app_ndpi *x = app_ndpi_cur;

    return x != NULL ? app_ndpi_heap_alloc(x, n) : malloc(n);
}

static void
app_ndpi_hook_free(void *p)
{
    struct app_ndpi *x = app_ndpi_cur;

    if (p == NULL)
        return;
    if (x != NULL && app_ndpi_heap_owns(&x->heap, p))
        app_ndpi_heap_free(x, p);
    else
        free(p);
}

static void *
app_ndpi_hook_realloc(void *p, size_t n)
{
    struct app_ndpi *x = app_ndpi_cur;
    void *q;
    size_t cap;

    if (p == NULL)
        return app_ndpi_hook_malloc(n);
    if (x == NULL || !app_ndpi_heap_owns(&x->heap, p))
        return realloc(p, n);
    q = app_ndpi_heap_alloc(x, n);
    if (q == NULL)
        return NULL;
    cap = app_ndpi_heap_cap(p);
    memcpy(q, p, cap < n ? cap : n);
    app_ndpi_heap_free(x, p);
    return q;
}

static int
app_ndpi_hook_is_secure(const void *p)
{
    (void)p;
    return 0;
}

/* Start-up, main thread: before the first module (and libgcrypt's set-up). */
static void
app_ndpi_hooks_install(void)
{
    static bool installed;

    if (installed)
        return;
    installed = true;
    gcry_set_allocation_handler(app_ndpi_hook_malloc, app_ndpi_hook_malloc, app_ndpi_hook_is_secure,
                                app_ndpi_hook_realloc, app_ndpi_hook_free);
    set_ndpi_malloc(app_ndpi_hook_malloc);
    set_ndpi_free(app_ndpi_hook_free);
}

/* Makes x's heap the one nDPI allocates from; returns the one to restore. */
static struct app_ndpi *
app_ndpi_enter(struct app_ndpi *x)
{
    struct app_ndpi *prev = app_ndpi_cur;

    app_ndpi_cur = x;
    return prev;
}

static void
app_ndpi_leave(struct app_ndpi *prev)
{
    app_ndpi_cur = prev;
}

/* ---- Context ---- */

/*
 * The LRU caches nDPI 4.2 creates on the first flow that needs one
 * (sizes as its dissectors create them), created here at start-up. The
 * module's layout comes from the headers of the library's own build:
 * checked against the library's version and a known protocol entry;
 * should either differ, the caches are left to nDPI (the largest is then
 * refused by the heap, counted as ndpi.memcap, and that cache not used).
 */
static int
app_ndpi_caches_create(struct ndpi_detection_module_struct *m)
{
    struct {
        struct ndpi_lru_cache **c;
        uint32_t entries;
    } const caches[] = {
            {&m->ookla_cache, 1024},   {&m->bittorrent_cache, 32768}, {&m->zoom_cache, 512},
            {&m->stun_cache, 1024},    {&m->tls_cert_cache, 1024},    {&m->mining_cache, 1024},
            {&m->msteams_cache, 1024},
    };
    const ndpi_proto_defaults_t *tls = &m->proto_defaults[NDPI_PROTOCOL_TLS];
    size_t i;

    if (strcmp(ndpi_revision(), NDPI_GIT_RELEASE) != 0 || tls->protoId != NDPI_PROTOCOL_TLS ||
        tls->protoName == NULL || strcmp(tls->protoName, "TLS") != 0)
        return 0;
    for (i = 0; i < NIDS_ARRAY_LEN(caches); i++) {
        if (*caches[i].c == NULL)
            *caches[i].c = ndpi_lru_cache_init(caches[i].entries);
        if (*caches[i].c == NULL)
            return NIDS_ENOMEM;
    }
    return 0;
}

/*
 * The dissectors nDPI runs. Without metadata only nDPI's answers that
 * become an app_proto matter: the dissectors of the protocols in
 * app_ndpi_map, less the sensor's own (HTTP, SMTP), plus the two whose
 * dissectors name mapped protocols: DNS (mDNS on 5353) and NetBIOS (SMB
 * over NBSS on 139). nDPI tries every enabled dissector on every packet of
 * a flow it has not named, so this is most of its cost. With metadata, all
 * of them: nDPI's own view.
 */
static void
app_ndpi_dissectors(const struct app_ndpi_cfg *cfg, NDPI_PROTOCOL_BITMASK *m)
{
    unsigned id;

    if (cfg->metadata) {
        NDPI_BITMASK_SET_ALL(*m);
        return;
    }
    NDPI_BITMASK_RESET(*m);
    for (id = 0; id < NDPI_MAX_SUPPORTED_PROTOCOLS; id++)
        if (app_ndpi_map[id].app != APP_PROTO_UNKNOWN && app_ndpi_map[id].app != APP_PROTO_HTTP &&
            app_ndpi_map[id].app != APP_PROTO_SMTP)
            NDPI_BITMASK_ADD(*m, id);
    NDPI_BITMASK_ADD(*m, NDPI_PROTOCOL_NETBIOS);
}

struct app_ndpi *
app_ndpi_create(const struct app_ndpi_cfg *cfg, uint64_t *ctr)
{
    struct app_ndpi *x = calloc(1, sizeof(*x));
    NDPI_PROTOCOL_BITMASK all;

    if (x == NULL)
        return NULL;
    x->cfg = *cfg;
    x->ctr = ctr;
    if (x->cfg.flows == 0)
        x->cfg.flows = 1;
    if (x->cfg.flows > APP_NDPI_POOL_MAX / APP_NDPI_RESULTS_PER_FLOW)
        x->cfg.flows = APP_NDPI_POOL_MAX / APP_NDPI_RESULTS_PER_FLOW;
    if (x->cfg.max_packets == 0)
        x->cfg.max_packets = 1;
    x->n_res = x->cfg.flows * APP_NDPI_RESULTS_PER_FLOW;
    x->slots = calloc(x->cfg.flows, sizeof(*x->slots));
    x->res = calloc(x->n_res, sizeof(*x->res));
    x->heap.size = (size_t)x->cfg.memcap;
    x->heap.base = x->heap.size > 0 ? malloc(x->heap.size) : NULL;
    if (x->slots == NULL || x->res == NULL || (x->heap.size > 0 && x->heap.base == NULL))
        goto out_free;
    /* Pools and heap are handed out in order the first time round, so the
     * pages nobody uses are never touched (they cost no memory). */
    pool_list_init(&x->slot_list, x->cfg.flows);
    pool_list_init(&x->res_list, x->n_res);
    ASAN_POISON_MEMORY_REGION(x->heap.base, x->heap.size);
    app_ndpi_hooks_install();
    x->mod = ndpi_init_detection_module(ndpi_no_prefs);
    if (x->mod == NULL)
        goto out_free;
    app_ndpi_dissectors(&x->cfg, &all);
    ndpi_set_protocol_detection_bitmask2(x->mod, &all);
    ndpi_finalize_initialization(x->mod);
    if (app_ndpi_caches_create(x->mod) < 0)
        goto out_free;
    return x;

out_free:
    app_ndpi_destroy(x);
    return NULL;
}

void
app_ndpi_destroy(struct app_ndpi *x)
{
    struct app_ndpi *prev;
    uint32_t i;

    if (x == NULL)
        return;
    /* What nDPI hung on states still held, and its module, go back to
     * whichever allocator gave it: this heap or libc. */
    prev = app_ndpi_enter(x);
    for (i = 0; x->slots != NULL && x->mod != NULL && i < x->slot_list.fresh; i++)
        if (x->slots[i].next == APP_NDPI_REF_DONE)
            ndpi_free_flow_data(&x->slots[i].nf);
    if (x->mod != NULL)
        ndpi_exit_detection_module(x->mod);
    app_ndpi_leave(prev);
    x->mod = NULL;
    free(x->heap.base);
    free(x->slots);
    free(x->res);
    free(x);
}

/* ---- Per-flow state ---- */

static struct app_ndpi_slot *
app_ndpi_slot_of(const struct app_ndpi *x, const struct flow *f)
{
    uint32_t r = f->ndpi_ref;

    if (r == 0 || r == APP_NDPI_REF_DONE || (r & APP_NDPI_REF_RESULT) || r > x->cfg.flows)
        return NULL;
    return &x->slots[r - 1];
}

static struct app_ndpi_res *
app_ndpi_res_of(const struct app_ndpi *x, const struct flow *f)
{
    uint32_t r = f->ndpi_ref;

    if (r == APP_NDPI_REF_DONE || !(r & APP_NDPI_REF_RESULT))
        return NULL;
    r &= ~APP_NDPI_REF_RESULT;
    if (r == 0 || r > x->n_res)
        return NULL;
    return &x->res[r - 1];
}

/* Takes a zeroed state for f; false when the pool is empty (counted). */
static bool
app_ndpi_slot_take(struct app_ndpi *x, struct flow *f)
{
    uint32_t i = pool_list_alloc(&x->slot_list, &x->slots[0].next, sizeof(*x->slots));
    struct app_ndpi_slot *s;

    if (i == 0) {
        x->ctr[STAT_NDPI_POOL_EMPTY]++;
        return false;
    }
    s = &x->slots[i - 1];
    memset(&s->nf, 0, sizeof(s->nf));
    memset(&s->named, 0, sizeof(s->named));
    s->next = APP_NDPI_REF_DONE; /* marks the slot taken */
    s->pkts = 0;
    f->ndpi_ref = i;
    x->ctr[STAT_NDPI_FLOWS]++;
    return true;
}

/* Gives f's state back (what nDPI hung on it to the heap). Inside app_ndpi_enter. */
static void
app_ndpi_slot_put(struct app_ndpi *x, struct flow *f)
{
    struct app_ndpi_slot *s = app_ndpi_slot_of(x, f);

    if (s == NULL)
        return;
    ndpi_free_flow_data(&s->nf);
    pool_list_free(&x->slot_list, &x->slots[0].next, sizeof(*x->slots), f->ndpi_ref);
    f->ndpi_ref = APP_NDPI_REF_DONE;
}

/*
 * Detection of f is over with answer r: the flow gets nDPI's protocol if
 * Suricata has a name for it and the probes have none, and keeps a result
 * when there is something to log (a TLS/QUIC server name, or metadata).
 */
/* nDPI named r (by inspecting the flow, not by port or address): the flow's app_proto. */
static void
app_ndpi_apply(struct flow *f, const struct app_ndpi_slot *s, ndpi_protocol r)
{
    uint8_t mapped = app_ndpi_map_proto(r.master_protocol, r.app_protocol, f->key.proto);

    if (s->nf.confidence == NDPI_CONFIDENCE_DPI && mapped != APP_PROTO_UNKNOWN &&
        !app_ndpi_is_own(mapped) &&
        (f->app_proto == APP_PROTO_UNKNOWN || f->app_proto == APP_PROTO_FAILED))
        f->app_proto = mapped;
}

static void
app_ndpi_conclude(struct app_ndpi *x, struct flow *f, struct app_ndpi_slot *s, ndpi_protocol r)
{
    uint8_t mapped = app_ndpi_map_proto(r.master_protocol, r.app_protocol, f->key.proto);
    bool dpi = s->nf.confidence == NDPI_CONFIDENCE_DPI;
    size_t sni_len = strnlen(s->nf.host_server_name, APP_NDPI_SNI_MAX - 1);
    struct app_ndpi_res *res;
    uint32_t i;

    if (r.master_protocol != NDPI_PROTOCOL_UNKNOWN || r.app_protocol != NDPI_PROTOCOL_UNKNOWN)
        x->ctr[STAT_NDPI_DETECTED]++;
    app_ndpi_apply(f, s, r);
    if ((mapped != APP_PROTO_TLS && mapped != APP_PROTO_QUIC) || !dpi)
        sni_len = 0;
    if (sni_len == 0 && !x->cfg.metadata) {
        app_ndpi_slot_put(x, f);
        return;
    }
    i = pool_list_alloc(&x->res_list, &x->res[0].next, sizeof(*x->res));
    if (i == 0) {
        x->ctr[STAT_NDPI_RESULT_POOL_EMPTY]++;
        app_ndpi_slot_put(x, f);
        return;
    }
    res = &x->res[i - 1];
    res->next = APP_NDPI_REF_DONE;
    res->master = r.master_protocol;
    res->app = r.app_protocol;
    res->category = (uint16_t)r.category;
    res->mapped = mapped;
    res->confidence = (uint8_t)s->nf.confidence;
    res->risk = s->nf.risk;
    res->sni_len = (uint8_t)sni_len;
    memcpy(res->sni, s->nf.host_server_name, sni_len);
    app_ndpi_slot_put(x, f);
    f->ndpi_ref = APP_NDPI_REF_RESULT | i;
}

/* Only TCP with a tracked session and UDP, and only packets with payload. */
static bool
app_ndpi_wants(const struct flow *f, const struct pkt *p)
{
    if (p->payload_len == 0 || p->l3_len == 0 || p->l3_len > UINT16_MAX)
        return false;
    if (p->proto == 17)
        return true;
    return p->proto == 6 && (f->flags & FLOW_F_TCP_SESSION);
}

void
app_ndpi_packet(struct app_ndpi *x, struct flow *f, const struct pkt *p, int dir)
{
    struct app_ndpi_slot *s;
    struct app_ndpi *prev;
    ndpi_protocol r;
    bool done = false;

    (void)dir; /* nDPI tells the directions apart by the addresses */
    if (f->ndpi_ref == APP_NDPI_REF_DONE || (f->ndpi_ref & APP_NDPI_REF_RESULT) ||
        !app_ndpi_wants(f, p))
        return;
    prev = app_ndpi_enter(x);
    if (app_ndpi_is_own(f->app_proto) || f->app_proto_orig != APP_PROTO_UNKNOWN) {
        /* A parser of the sensor's has the flow (a tunnel after HTTP CONNECT too). */
        if (f->ndpi_ref != 0)
            x->ctr[STAT_NDPI_CLAIMED]++;
        app_ndpi_slot_put(x, f);
        f->ndpi_ref = APP_NDPI_REF_DONE;
        app_ndpi_leave(prev);
        return;
    }
    if (f->ndpi_ref == 0 && !app_ndpi_slot_take(x, f)) {
        f->ndpi_ref = APP_NDPI_REF_DONE;
        app_ndpi_leave(prev);
        return;
    }
    s = app_ndpi_slot_of(x, f);
    if (s == NULL) {
        NIDS_BUG_ON(true);
        f->ndpi_ref = APP_NDPI_REF_DONE;
        app_ndpi_leave(prev);
        return;
    }
    r = ndpi_detection_process_packet(x->mod, &s->nf, p->data + p->l3_off, (uint16_t)p->l3_len,
                                      p->ts_us / 1000u);
    s->pkts++;
    if (r.master_protocol != NDPI_PROTOCOL_UNKNOWN || r.app_protocol != NDPI_PROTOCOL_UNKNOWN) {
        /* Named. With metadata, nDPI may read on for more (certificate, risks). */
        s->named = r;
        app_ndpi_apply(f, s, r);
        done = !x->cfg.metadata || !ndpi_extra_dissection_possible(x->mod, &s->nf) ||
               s->pkts >= x->cfg.max_packets;
    } else if (s->pkts >= x->cfg.max_packets) {
        uint8_t guessed = 0;
        r = ndpi_detection_giveup(x->mod, &s->nf, 0, &guessed);
        x->ctr[STAT_NDPI_GIVEUP]++;
        done = true;
    }
    if (done)
        app_ndpi_conclude(x, f, s, r);
    app_ndpi_leave(prev);
}

void
app_ndpi_flow_end(struct app_ndpi *x, struct flow *f)
{
    struct app_ndpi_slot *s = app_ndpi_slot_of(x, f);
    struct app_ndpi *prev;
    ndpi_protocol r;
    uint8_t guessed = 0;

    if (s == NULL)
        return;
    prev = app_ndpi_enter(x);
    if (app_ndpi_is_own(f->app_proto)) {
        x->ctr[STAT_NDPI_CLAIMED]++;
        app_ndpi_slot_put(x, f);
    } else if (s->named.master_protocol != NDPI_PROTOCOL_UNKNOWN ||
               s->named.app_protocol != NDPI_PROTOCOL_UNKNOWN) {
        /* Named, and still reading on for metadata. */
        app_ndpi_conclude(x, f, s, s->named);
    } else {
        /* What nDPI has so far, without guessing from ports. */
        r = ndpi_detection_giveup(x->mod, &s->nf, 0, &guessed);
        x->ctr[STAT_NDPI_GIVEUP]++;
        app_ndpi_conclude(x, f, s, r);
    }
    app_ndpi_leave(prev);
}

void
app_ndpi_flow_put(struct app_ndpi *x, struct flow *f)
{
    struct app_ndpi_res *res = app_ndpi_res_of(x, f);
    struct app_ndpi *prev;

    if (res != NULL) {
        pool_list_free(&x->res_list, &x->res[0].next, sizeof(*x->res),
                       f->ndpi_ref & ~APP_NDPI_REF_RESULT);
    } else if (app_ndpi_slot_of(x, f) != NULL) {
        /* Not concluded (an interim report path): give the state back too. */
        prev = app_ndpi_enter(x);
        app_ndpi_slot_put(x, f);
        app_ndpi_leave(prev);
    }
    f->ndpi_ref = 0;
}

bool
app_ndpi_flow_is_detecting(const struct app_ndpi *x, const struct flow *f)
{
    return app_ndpi_slot_of(x, f) != NULL;
}

/* ---- Flow record members ---- */

/* `ndpi`: nDPI's protocol, confidence, breed, category and risks (nDPI's own key names). */
static void
app_ndpi_emit_meta(struct app_ndpi *x, struct json_buf *j, const struct app_ndpi_res *res)
{
    ndpi_protocol r = {.master_protocol = res->master,
                       .app_protocol = res->app,
                       .category = (ndpi_protocol_category_t)res->category};
    uint16_t id = res->app != NDPI_PROTOCOL_UNKNOWN ? res->app : res->master;
    char name[64], key[8];
    unsigned i;

    json_open_object(j, "ndpi");
    json_str(j, "proto", ndpi_protocol2name(x->mod, r, name, sizeof(name)));
    json_str(j, "confidence", ndpi_confidence_get_name((ndpi_confidence_t)res->confidence));
    json_str(j, "breed", ndpi_get_proto_breed_name(x->mod, ndpi_get_proto_breed(x->mod, id)));
    json_str(j, "category", ndpi_category_get_name(x->mod, r.category));
    if (res->risk != 0) {
        json_open_object(j, "flow_risk");
        for (i = 0; i < NDPI_MAX_RISK; i++) {
            const ndpi_risk_info *ri;
            if (!NDPI_ISSET_BIT(res->risk, i))
                continue;
            ri = ndpi_risk2severity((ndpi_risk_enum)i);
            if (ri == NULL)
                continue;
            snprintf(key, sizeof(key), "%u", i);
            json_open_object(j, key);
            json_str(j, "risk", ndpi_risk2str(ri->risk));
            json_str(j, "severity", ndpi_severity2str(ri->severity));
            json_close(j);
        }
        json_close(j);
    }
    json_close(j);
}

void
app_ndpi_flow_emit(void *ctx, struct json_buf *j, const struct flow *f)
{
    struct app_ndpi *x = ctx;
    const struct app_ndpi_res *res;

    if (x == NULL)
        return;
    res = app_ndpi_res_of(x, f);
    if (res == NULL)
        return;
    /* The server name where Suricata logs it: its tls and quic records. */
    if (res->sni_len > 0 && res->mapped == f->app_proto) {
        json_open_object(j, f->app_proto == APP_PROTO_TLS ? "tls" : "quic");
        json_strn(j, "sni", (const uint8_t *)res->sni, res->sni_len);
        json_close(j);
    }
    if (x->cfg.metadata)
        app_ndpi_emit_meta(x, j, res);
}
