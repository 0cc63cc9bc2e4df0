import { defineConfig } from 'vite';

// The build goes to dist/, which the truce binary embeds (crates/server/build.rs builds it
// when it is missing or older than these sources).
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false },
});
