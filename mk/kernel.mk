# Kernel test tier: payloads run inside Debian's real kernel (flowtables as modules) under
# QEMU, from Debian packages cached in .cache/kernel (test/kernel/fetch.sh; nothing is
# installed on the host except qemu-system-x86 when missing). How to write a payload:
# the header of test/kernel/run-guest.sh. `test-kernel` itself is defined with the handler.

KT_DIR     := test/kernel
KT_RESULTS := test-results/kernel

.PHONY: kernel-fetch test-kernel-smoke

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
