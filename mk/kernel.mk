# Kernel test tier: payloads run inside Debian's real kernel (flowtables as modules) under
# QEMU, from Debian packages cached in .cache/kernel (test/kernel/fetch.sh; nothing is
# installed on the host except qemu-system-x86 when missing). How to write a payload:
# the header of test/kernel/run-guest.sh.
#   test-kernel-smoke  the tier itself works (~20 s)
#   test-kernel        (in make test) the real OpenWrt userland (ubusd, netifd, rpcd + the
#                      handler, uci, fw4, uhttpd) in the guest, asserted through real /ubus from
#                      the host (test/kernel/stack-test.mjs); = test-kernel-stack
#   test-kernel-handler  the earlier payload: the handler alone with the simulator's uci/fw4
#                      stand-ins, with the ~10 ms conntrack sampler around flush (not in make test)
#   demo-kernel        the same real-stack guest with iperf3 flowing, the panel on host loopback
#   bench-kernel       offload off vs software, CPU read through the handler's own `stats`

KT_DIR     := test/kernel
KT_RESULTS := test-results/kernel

.PHONY: kernel-capture-netifd kernel-fetch test-kernel-smoke test-kernel test-kernel-stack test-kernel-handler demo-kernel bench-kernel

kernel-fetch:
	$(KT_DIR)/fetch.sh

# Smoke test of the tier: topology, fw4-shaped software flowtable, an [OFFLOAD] flow,
# hardware offload refused on veth (fw4's fallback case), qjs in the guest. ~20 s under TCG.
test-kernel-smoke: kernel-fetch
	$(KT_DIR)/run-guest.sh --out $(KT_RESULTS)/smoke $(KT_DIR)/smoke 120
	@# the guest judged itself (exit-code 0); re-check the captured evidence on the host
	@r=$(KT_RESULTS)/smoke; ok=1; \
	grep -q '\[OFFLOAD\]' $$r/proc_net_nf_conntrack.txt || { echo "kernel smoke: no [OFFLOAD] entry in $$r/proc_net_nf_conntrack.txt"; ok=0; }; \
	grep -q 'Operation not supported' $$r/nft_hw_probe.txt && grep -qx 'exit=1' $$r/nft_hw_probe.txt || { echo "kernel smoke: hardware offload probe did not fail as expected ($$r/nft_hw_probe.txt)"; ok=0; }; \
	grep -qx 'exit=0' $$r/nft_sw_probe.txt || { echo "kernel smoke: software flowtable probe failed ($$r/nft_sw_probe.txt)"; ok=0; }; \
	grep -q '"label":"cpu","cpus":[1-9]' $$r/qjs_procstat.json || { echo "kernel smoke: qjs did not read /proc/stat ($$r/qjs_procstat.json)"; ok=0; }; \
	! grep -q '^FAIL' $$r/checks.txt || { echo "kernel smoke: failed checks in $$r/checks.txt"; ok=0; }; \
	[ $$ok = 1 ] && echo "kernel smoke: OK ($$(grep -c '^PASS' $$r/checks.txt) checks; $$(cat $$r/iperf3_summary.txt))"

# ---- the handler in the guest ------------------------------------------------------------------
# What test-kernel and bench-kernel put into the guest: the built handler at its real path,
# the simulator's uci/fw4 stand-ins (QuickJS) behind /sbin/uci and /sbin/fw4 wrappers, the
# lan/wan firewall + network configs, and the guest helpers (offload.sh, jx.js). Only these
# build outputs are needed (not the panel), so the targets depend on them rather than `build`.
KT_OFFLOAD_BUILT := $(HANDLER) build/sim-tools/uci.js build/sim-tools/fw4.js
KT_OFFLOAD_ADD := \
	--add $(HANDLER)=/usr/libexec/rpcd/luci.offload \
	--add build/sim-tools/uci.js=/usr/share/offload-tools/uci.js \
	--add build/sim-tools/fw4.js=/usr/share/offload-tools/fw4.js \
	--add $(KT_DIR)/handler/root/sbin/uci=/sbin/uci \
	--add $(KT_DIR)/handler/root/sbin/fw4=/sbin/fw4 \
	--add $(KT_DIR)/handler/root/etc/config=/etc/config \
	--add $(KT_DIR)/handler/lib/offload.sh=/usr/share/kt/offload.sh \
	--add $(KT_DIR)/handler/lib/jx.js=/usr/share/kt/jx.js

test-kernel: test-kernel-stack

# The full real stack over the real kernel: the platform tier's stage (scripts/platform/build.sh)
# in the initramfs with the libraries ldd lists, the unchanged package (root/ and htdocs/),
# netifd making br-lan, firewall4's default config; the host asserts through uhttpd's /ubus on a
# forwarded loopback port: set software (flowtable loads, iperf3 flows [OFFLOAD] in flows/stats),
# flush during an offloaded transfer, set hardware (fw4's fallback), a ruleset nft rejects (the
# previous config restored byte for byte and still running), set off. ~1.5-2 min under TCG.
test-kernel-stack: $(HANDLER) kernel-fetch
	@node $(KT_DIR)/stack-test.mjs --stage "$$(scripts/platform/build.sh | tail -n 1)" --out $(KT_RESULTS)/stack

# The make demo of the real kernel: the same guest, iperf3 lan -> wan in a loop at KDEMO_MBPS,
# the panel inside real LuCI when the platform stage has it (else its standalone page) on real
# uhttpd at http://127.0.0.1:$(KDEMO_PORT)/ (root/root). Ctrl-C stops it.
KDEMO_PORT ?= 8090
KDEMO_MBPS ?= 40
demo-kernel: $(HANDLER) kernel-fetch
	@node $(KT_DIR)/stack-test.mjs --demo --port $(KDEMO_PORT) --mbps $(KDEMO_MBPS) --stage "$$(scripts/platform/build.sh | tail -n 1)"

# Real kernel proof: set software/hardware/off, stats and flows during real offloaded
# iperf3 transfers, the conntrack parser against the raw table, what flush does to a live
# flow. The guest judges itself; verify.mjs re-checks the captured evidence on the host.
# ~1 min under TCG.
test-kernel-handler: $(KT_OFFLOAD_BUILT) kernel-fetch
	$(KT_DIR)/run-guest.sh $(KT_OFFLOAD_ADD) --out $(KT_RESULTS)/handler $(KT_DIR)/handler 240
	@node $(KT_DIR)/handler/verify.mjs $(KT_RESULTS)/handler

# Benchmark: offload off vs software in one VM, GSO/TSO off on the end hosts,
# KBENCH_REPS (8) interleaved runs per mode (ABBA order) of KBENCH_SECS (6) s of iperf3, the
# mode switched with the handler's `set`, CPU read with the handler's own `stats`, the vCPU
# threads pinned to host CPUs (--pin) and the host's own load sampled beside the VM. Table
# (host side): test-results/kernel/bench/table.md. ~3.5 min under TCG with the defaults.
KBENCH_REPS ?= 8
KBENCH_SECS ?= 6
bench-kernel: $(KT_OFFLOAD_BUILT) kernel-fetch
	@mkdir -p build/kernel && printf '%s\n' "KBENCH_REPS=$(KBENCH_REPS)" "KBENCH_SECS=$(KBENCH_SECS)" >build/kernel/bench.env
	$(KT_DIR)/run-guest.sh --pin $(KT_OFFLOAD_ADD) --add build/kernel/bench.env=/etc/kbench.env \
		--out $(KT_RESULTS)/bench $(KT_DIR)/bench \
		$$(( $(KBENCH_REPS) * 2 * ($(KBENCH_SECS) + 12) + 120 ))
	@node $(KT_DIR)/bench/table.mjs $(KT_RESULTS)/bench

# Real captures of what real netifd and real fw4 make of several /etc/config/network setups
# (test/kernel/netifd-capture/cases/*: old-style bridge, bridge VLAN, wan6 alias, VLAN wan, one
# VLAN bridge for lan and wan) on the guest's kernel: network.interface dump, network.device
# status, the lower_/upper_ links, fw4's flowtable in software and hardware(-fallback) mode.
# Written to test/fixtures/netifd/guest-<case>/ with a PROVENANCE.md (collect.sh; a case the
# guest could not bring up is dropped and said so). Not part of make test. ~1-1.5 min under TCG.
KCAP_OUT := $(KT_RESULTS)/netifd-capture
kernel-capture-netifd: kernel-fetch
	@stage=$$(scripts/platform/build.sh | tail -n 1) || exit 1; mkdir -p $(KT_RESULTS); \
	{ $(KT_DIR)/run-guest.sh --stage "$$stage" --no-qjs \
		--host-bin /usr/bin/flock=/usr/bin/flock --host-bin $(CURDIR)/.cache/kernel/root/sbin/bridge=/sbin/bridge \
		--add "$$stage/usr/share/platform/defaults/firewall=/etc/config/firewall" \
		--out $(KCAP_OUT) $(KT_DIR)/netifd-capture 600; echo $$? >$(KCAP_OUT).rc; } 2>&1 | tee $(KCAP_OUT).log; \
	rc=$$(cat $(KCAP_OUT).rc); [ "$$rc" -le 1 ] || exit "$$rc"; \
	$(KT_DIR)/netifd-capture/collect.sh $(KCAP_OUT) test/fixtures/netifd "$$stage" $(KCAP_OUT).log
