import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into static files the gateway serves at `/`; absolute asset URLs keep working when the server
// answers an unknown path with index.html (SPA fallback).
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': process.env.LIVEHOOKS_URL ?? 'http://127.0.0.1:8080' } },
});
