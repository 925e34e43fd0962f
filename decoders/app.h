/*
 * app.h - what every app-layer parser shares: the result of a parse call
 * and the flags the stream gives with the bytes.
 *
 * The TCP reassembler (sensor/tcp_reasm.c) hands a parser the bytes of one
 * direction in order, in as many pieces as they arrived. A parser
 * consumes every byte it is given (it keeps partial lines or fields in its
 * own bounded state), so nothing is kept for it; a gap or the end of a
 * direction comes as a call with a flag.
 */
#ifndef APP_H
#define APP_H

#include <stdint.h>

enum app_status {
    APP_OK = 0,     /* consumed, waiting for more */
    APP_ERROR,      /* unrecoverable for this direction: stop feeding it */
    APP_INCOMPLETE, /* consumed, but a record is cut (reported at EOF) */
    APP_STATUS_COUNT
};

struct app_res {
    enum app_status status;
    uint32_t consumed;
    uint32_t needed; /* a hint of bytes still expected, 0 = unknown */
};

#define APP_DIR_TOSERVER 0
#define APP_DIR_TOCLIENT 1

/* Flags of a parse call. */
#define APP_FLAG_GAP 0x01u /* len bytes are missing here (data is NULL) */
#define APP_FLAG_EOF 0x02u /* the direction ended (FIN, RST, flow end) */
#define APP_FLAG_RAW 0x04u /* for raw stream inspection only, never for a parser */

#endif /* APP_H */
