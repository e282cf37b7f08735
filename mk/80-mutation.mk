# Mutation testing of the safety core with StrykerJS (stryker.config.mjs, docs/mutation.md).
#   make test-mutation              incremental: only mutants in code or tests changed since the last run
#   STRYKER_FULL=1 make test-mutation   every mutant again
#   STRYKER_BREAK=90 …              fail below that score (default 85, see stryker.config.mjs)
# The incremental state is kept in .cache/stryker/incremental.json.

.PHONY: test-mutation
test-mutation: deps
	@mkdir -p .cache/stryker build/stryker
	npx stryker run stryker.config.mjs
