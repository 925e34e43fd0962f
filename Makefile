# Network sensor - build, tests, demo and benchmarks.
#   make            build build/sensor
#   make demo       install dependencies, build, run on pcaps/ and summarise
#   make test       unit + end-to-end + conformance, then all again under ASan+UBSan
#   make bench      throughput and memory figures (not a test)

CC       ?= gcc
BUILD    ?= build
OPT      ?= -O2
SAN      ?=
PKGS     := libpcap libndpi libpcre2-8 yaml-0.1
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes \
            -Wmissing-prototypes -Wimplicit-fallthrough -Wcast-align -Wpointer-arith -Wundef
DEFS     := -D_GNU_SOURCE
CFLAGS   += $(OPT) -g $(WARN) $(DEFS) -Isensor -Idecoders -Isignatures $(SAN) -pthread
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhs -lnet -lm -pthread
LDFLAGS  += $(SAN)
DECWARN  := -Wconversion
NPROC    := $(shell nproc 2>/dev/null || echo 1)

ifeq ($(SAN),)
else
CFLAGS   += -fno-omit-frame-pointer
endif

SENSOR_SRC  := $(wildcard sensor/*.c)
DECODER_SRC := $(wildcard decoders/*.c)
SIG_SRC     := $(wildcard signatures/*.c)
LIB_SRC     := $(filter-out sensor/main.c,$(SENSOR_SRC)) $(DECODER_SRC) $(SIG_SRC)
LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
STRESS_BIN  := $(BUILD)/tests/test_ring_stress
TOOL_BIN    := $(BUILD)/pcapgen $(BUILD)/pcapcount $(BUILD)/ringbench

.PHONY: all deps demo test unit e2e conformance check asan tsan fuzz fuzz-replay format \
        format-check tidy clean bench tools threads live collector binaries

all: $(BUILD)/sensor

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(if $(filter decoders/%,$<),$(DECWARN)) -MMD -MP -c -o $@ $<

$(BUILD)/libsensor.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/sensor: $(BUILD)/obj/sensor/main.o $(BUILD)/libsensor.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests #include the module under test to reach its statics; the
# archive supplies everything else.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsensor.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -MMD -MP -o $@ $< $(BUILD)/libsensor.a \
	    $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/tests/test_ring_stress: tests/stress/test_ring_stress.c sensor/ring.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LDFLAGS) -lcmocka -pthread

$(BUILD)/pcapgen: tools/pcapgen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell libnet-config --defines) -o $@ $< $(LDFLAGS) -lnet -lpcap -lgcrypt

$(BUILD)/ringbench: tools/ringbench.c sensor/ring.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LDFLAGS) -pthread

$(BUILD)/pcapcount: tools/pcapcount.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) -lpcap

tools: $(TOOL_BIN)

# Everything the suites run, built in parallel before any of them starts.
binaries: all tools $(UNIT_BIN) $(STRESS_BIN)

deps:
	@tools/deps

demo: deps
	@$(MAKE) --no-print-directory all tools
	@tools/demo

unit: $(UNIT_BIN) $(STRESS_BIN)
	@tools/run-unit $(UNIT_BIN) $(STRESS_BIN)

e2e: all tools
	@tools/run-e2e --sensor $(BUILD)/sensor
	@tools/run-corpus --sensor $(BUILD)/sensor

conformance: all
	@tools/run-conformance --sensor $(BUILD)/sensor
	@tools/validate-eve $(BUILD)/conformance | tail -2

check: unit e2e

# The whole suite, the same under ASan+UBSan in build/asan, the threaded
# parts under TSan, and live capture in network namespaces.
test: deps
	@$(MAKE) --no-print-directory -j$(NPROC) binaries
	@$(MAKE) --no-print-directory unit e2e conformance threads live collector fuzz-replay
	@$(MAKE) --no-print-directory asan
	@RING_STRESS_ITEMS=10000000 $(MAKE) --no-print-directory tsan

# Records equal across --runmode single and --threads 1, 2, 4 on every capture.
threads: all
	@tools/threads-check --sensor $(BUILD)/sensor

# NetFlow v9 and IPFIX export read back by a real collector (nfcapd/nfdump).
collector: all
	@tools/run-shards 3 tools/collector-test --sensor $(BUILD)/sensor

live: all
	@tools/live-test --sensor $(BUILD)/sensor --runmode workers
	@tools/live-test --sensor $(BUILD)/sensor --runmode single

ASAN_VARS := BUILD=build/asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
asan:
	@$(MAKE) --no-print-directory -j$(NPROC) $(ASAN_VARS) binaries
	@$(MAKE) --no-print-directory $(ASAN_VARS) unit e2e conformance

# The ring stress test and the threaded pipeline under ThreadSanitizer.
tsan:
	@$(MAKE) --no-print-directory -j$(NPROC) BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" all \
	    build/tsan/tests/test_ring_stress
	@TSAN_OPTIONS=halt_on_error=1 RING_STRESS_ITEMS=$${RING_STRESS_ITEMS:-100000000} \
	    build/tsan/tests/test_ring_stress
	@TSAN_OPTIONS=halt_on_error=1 tools/threads-check --sensor build/tsan/sensor $(CURDIR)/pcaps

format:
	clang-format -i $(SENSOR_SRC) $(DECODER_SRC) $(SIG_SRC) $(wildcard sensor/*.h decoders/*.h)

format-check:
	clang-format --dry-run --Werror $(SENSOR_SRC) $(DECODER_SRC) $(SIG_SRC) \
	    $(wildcard sensor/*.h decoders/*.h)

tidy:
	clang-tidy $(LIB_SRC) -- $(CFLAGS)

clean:
	rm -rf build logs

include mk/fuzz.mk mk/bench.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
