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
    // LuCI supports current evergreen browsers; es2019 keeps older Safari/Chromium on routers' admin PCs happy.
    target: 'es2019',
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
