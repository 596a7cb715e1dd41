import * as path from 'path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The administrators' console: built into dist/console, served by the gateway at /console/ (same
 * origin as the API, so no CORS and no API address in the bundle). `npm run console:dev` proxies
 * /api to a running gateway (CONSOLE_API, default http://127.0.0.1:3000).
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      // the one piece of the domain the console bundles: pure, no Node imports
      '@zs/admin-access': path.resolve(__dirname, '../../libs/domain/src/admin-access/access-policy.ts'),
      '@zs/cron-words': path.resolve(__dirname, '../../libs/domain/src/schedule/cron-words.ts'),
    },
  },
  build: {
    outDir: path.resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    rollupOptions: {
      output: { manualChunks: { react: ['react', 'react-dom', 'react-router-dom'], antd: ['antd', '@ant-design/icons', 'dayjs'] } },
    },
  },
  server: { proxy: { '/api': process.env.CONSOLE_API || 'http://127.0.0.1:3000' } },
});
