import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: `../${process.env.KASUWA_OUT_DIR ?? 'out'}/renderer`,
    emptyOutDir: true,
    target: 'chrome130',
    // No inline scripts: the CSP allows only 'self'.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // Loaded from disk by the desktop app or from loopback by the browser host, never over a slow link.
    chunkSizeWarningLimit: 1500,
  },
});
