# Panel extras: the translation template and the documentation screenshots.
# (The panel bundle itself is built by `make panel`, see 10-build.mk.)

POT_FILE := luci-app-offload/po/templates/offload.pot

.PHONY: pot screenshots
# Regenerate po/templates/offload.pot from the t('…') / _('…') literals and menu titles.
pot: $(NODE_STAMP)
	@mkdir -p build
	esbuild scripts/gen-pot.ts --bundle --platform=node --format=esm --target=node20 --outfile=build/gen-pot.mjs --log-level=warning
	node build/gen-pot.mjs $(CURDIR)

# PNGs of the panel at 1280 px and 390 px, light and dark, after ~20 s of live history with a mode change.
screenshots: build
	@mkdir -p build
	esbuild test/e2e/screenshots.ts --bundle --platform=node --format=esm --target=node20 --packages=external --outfile=build/screenshots.mjs --log-level=warning
	node build/screenshots.mjs
