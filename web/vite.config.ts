/**
 * Builds the panel bundle LuCI's view loads: one IIFE (`app.js`) that defines
 * `window.LuciOffload`, plus `app.css`. No hashes, no source maps, no HTML —
 * the files land directly in the package's htdocs tree.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Vite 8 transforms TS/TSX with oxc: Preact's automatic JSX runtime, no preset plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('../luci-app-offload/htdocs/luci-static/resources/offload'),
    emptyOutDir: true,
    sourcemap: false,
    // ES2020 as LuCI 25.12 itself: its luci.js uses `??` and `?.`, so every browser that runs LuCI runs
    // them too; transpiled down to es2019 they cost ~0.8 KB of the panel's 35 KB gzip budget.
    target: 'es2020',
    minify: 'oxc',
    cssCodeSplit: false,
    reportCompressedSize: false,
    modulePreload: false,
    rolldownOptions: {
      input: here('src/main.ts'),
      output: { format: 'iife', entryFileNames: 'app.js', assetFileNames: 'app[extname]' },
    },
  },
});
