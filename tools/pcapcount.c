/*
 * pcapcount - the floor for offline throughput: a bare libpcap read loop.
 *
 *   pcapcount FILE
 *
 * Opens FILE with pcap_open_offline(), reads every record with
 * pcap_next_ex(), counts packets and captured bytes and touches the first
 * and last byte of each frame so the data is really brought into cache
 * (the sensor reads every frame too). Prints one line:
 *
 *   packets N bytes M seconds S
 *
 * S is the wall time of the read loop alone (CLOCK_MONOTONIC), open and
 * close excluded. tools/bench divides the sensor's rate by this one.
 * Exit status: 0, or 1 on an open or read error (the counts so far are
 * still printed for a read error).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <pcap/pcap.h>

static double
pcapcount_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t packets = 0, bytes = 0;
    /* volatile: the touched bytes must be loaded, not optimised away. */
    volatile unsigned sink = 0;
    double t0, t1;
    pcap_t *pc;
    int rc, status = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: pcapcount FILE\n");
        return 2;
    }
    errbuf[0] = '\0';
    pc = pcap_open_offline(argv[1], errbuf);
    if (pc == NULL) {
        fprintf(stderr, "pcapcount: %s: %s\n", argv[1], errbuf);
        return 1;
    }
    t0 = pcapcount_now();
    while ((rc = pcap_next_ex(pc, &hdr, &data)) == 1) {
        packets++;
        bytes += hdr->caplen;
        if (hdr->caplen > 0)
            sink += (unsigned)data[0] + (unsigned)data[hdr->caplen - 1];
    }
    t1 = pcapcount_now();
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcapcount: %s: %s\n", argv[1], pcap_geterr(pc));
        status = 1;
    }
    pcap_close(pc);
    (void)sink;
    printf("packets %" PRIu64 " bytes %" PRIu64 " seconds %.6f\n", packets, bytes, t1 - t0);
    return status;
}
