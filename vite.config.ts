import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web app lives in web/; `npm run build` writes dist/web, which the server serves in `npm start`. */
const apiPort = Number(process.env.PORT ?? 8787);

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': `http://127.0.0.1:${apiPort}`,
      '/tiles': `http://127.0.0.1:${apiPort}`,
    },
  },
});
