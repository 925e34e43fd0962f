/*
 * fuzz.h - the libFuzzer entry point every tests/fuzz/fuzz_<target>.c
 * defines, declared once so that -Wmissing-prototypes holds and
 * onefile.c can call it without libFuzzer.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Run one input. data is only valid during the call and may be modified
 * by nobody; returns 0 (libFuzzer reserves other values). Single thread.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* FUZZ_H */
