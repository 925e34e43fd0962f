# mk/fuzz.mk - libFuzzer targets, corpus replay and the fuzz smoke run.
#
# Included from the Makefile after its variables and after `all:` (so that
# `all` stays the default goal). Uses from the Makefile: BUILD, WARN, DEFS,
# DECWARN, LIB_SRC, LDLIBS.
#
#   make fuzz          build $(BUILD)/fuzz/fuzz_<t> for every tests/fuzz/fuzz_<t>.c
#                      (clang, -fsanitize=fuzzer,address,undefined)
#   make fuzz-replay   build $(BUILD)/fuzz/replay_<t> (onefile.c, ASan+UBSan, no
#                      libFuzzer) and replay tests/fuzz/corpus/<t>/ through it (CI)
#   make fuzz-smoke    run each fuzzer FUZZ_SECONDS (default 60) on a temporary
#                      copy of its corpus; log in $(BUILD)/fuzz/smoke-<t>.log,
#                      crashes in $(BUILD)/fuzz/artifacts/ (tail shown on failure)
#
# The sensor sources are compiled again here (libsensor.a is gcc-built without
# sanitizers): with coverage instrumentation into $(BUILD)/fuzz/obj, and
# without it into $(BUILD)/fuzz/replay-obj. Both define
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, so NIDS_BUG_ON aborts.
# Needs clang's libFuzzer runtime: Debian package libclang-rt-14-dev.

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_DIR      := $(BUILD)/fuzz
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   := -O1 -g -fno-omit-frame-pointer $(WARN) $(DEFS) \
                 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
                 -Isensor -Idecoders -Isignatures -Itests/fuzz -pthread
FUZZ_TARGETS  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN      := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_REPLAY   := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/replay_%)
FUZZ_OBJ      := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_ROBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/replay-obj/%.o)

.PHONY: fuzz fuzz-replay fuzz-smoke

fuzz: $(FUZZ_BIN)

# Static pattern rules (not implicit ones), so make keeps the objects.
# Sensor sources with coverage instrumentation (no libFuzzer main yet).
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    $(if $(filter decoders/%,$<),$(DECWARN)) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/replay-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
	    $(if $(filter decoders/%,$<),$(DECWARN)) -MMD -MP -c -o $@ $<

$(FUZZ_BIN): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

$(FUZZ_REPLAY): $(FUZZ_DIR)/replay_%: $(FUZZ_DIR)/replay-obj/tests/fuzz/fuzz_%.o \
        $(FUZZ_DIR)/replay-obj/tests/fuzz/onefile.o $(FUZZ_ROBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^ $(LDLIBS)

# Every corpus replayed; a sanitizer report or a NIDS_BUG_ON fails the target.
fuzz-replay: $(FUZZ_REPLAY)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "fuzz-replay: $$t"; \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	        $(FUZZ_DIR)/replay_$$t tests/fuzz/corpus/$$t; \
	done
	@# Frames of the shared captures too, built under build/ (never committed).
	@if [ -d ../shared/pcaps/suricata-verify ]; then \
	    rm -rf $(FUZZ_DIR)/shared-corpus; \
	    tests/fuzz/mkcorpus --shared ../shared --out $(FUZZ_DIR)/shared-corpus >/dev/null && \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	        $(FUZZ_DIR)/replay_decode $(FUZZ_DIR)/shared-corpus; \
	else echo "fuzz-replay: ../shared absent, shared frames skipped"; fi

# max_len comes from tests/fuzz/fuzz_<t>.options (libFuzzer does not read it).
# New inputs go to a temporary copy of the corpus, never into the tree.
fuzz-smoke: $(FUZZ_BIN)
	@set -e; mkdir -p $(FUZZ_DIR)/artifacts; for t in $(FUZZ_TARGETS); do \
	    maxlen=$$(sed -n 's/^max_len *= *//p' tests/fuzz/fuzz_$$t.options 2>/dev/null || true); \
	    tmp=$$(mktemp -d $(FUZZ_DIR)/corpus-$$t.XXXXXX); \
	    cp -R tests/fuzz/corpus/$$t/. $$tmp/; \
	    echo "fuzz-smoke: $$t for $(FUZZ_SECONDS) s (corpus copy $$tmp)"; \
	    rc=0; $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        $${maxlen:+-max_len=$$maxlen} \
	        -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t- \
	        $$tmp >$(FUZZ_DIR)/smoke-$$t.log 2>&1 || rc=$$?; \
	    rm -rf $$tmp; \
	    if [ $$rc -ne 0 ]; then \
	        tail -n 60 $(FUZZ_DIR)/smoke-$$t.log >&2; \
	        echo "fuzz-smoke: $$t failed (log $(FUZZ_DIR)/smoke-$$t.log," \
	             "reproducer in $(FUZZ_DIR)/artifacts/)" >&2; \
	        exit $$rc; \
	    fi; \
	    grep -E '^(Done|stat::(number_of_executed_units|new_units_added|peak_rss_mb))' \
	        $(FUZZ_DIR)/smoke-$$t.log | sed "s/^/fuzz-smoke: $$t: /"; \
	done
