# mk/bench.mk - throughput and memory figures (a benchmark, not a test).
#
# Included from the Makefile after its variables and after `all:`; it
# replaces the Makefile's own `bench:` rule. Uses from the Makefile: BUILD
# and the `all` and `tools` targets (build/sensor, build/pcapcount).
#
#   make bench                          full capture (100 copies, ~1.1 M packets)
#   make bench BENCH_ARGS="--copies 10" a smaller capture
#   make bench-quick                    --copies 10
#
# tools/bench builds build/bench/bench.pcap once (from
# ../shared/bench/make-bench-pcap, needs tshark, tcpreplay, bc; or from
# build/pcapgen when ../shared is absent) and prints a table then
# `key: value` lines. It exits 0 whether or not the targets hold.

BENCH_ARGS ?=

.PHONY: bench bench-quick

bench: all tools
	@BUILD=$(BUILD) tools/bench $(BENCH_ARGS)

bench-quick: all tools
	@BUILD=$(BUILD) tools/bench --copies 10 $(BENCH_ARGS)
