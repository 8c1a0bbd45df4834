import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const rendererDir = fileURLToPath(new URL(".", import.meta.url));
const repoDir = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs, so the same build loads from the web host and from file:// in Electron.
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Under a strict CSP nothing may be inlined as a data: URL.
    assetsInlineLimit: 0,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod places /*@__PURE__*/ where Rollup cannot use it; harmless, and not ours to fix.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules/zod/") === true) return;
        warn(warning);
      },
    },
  },
  // The renderer imports engine/api from outside its own folder.
  server: { fs: { allow: [repoDir] } },
});
