// Vite builds the UI into ui/dist, which the Tauri crate embeds (frontendDist).
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.ts"],
  },
  // Svelte 5 components mount in jsdom only with the browser build of svelte.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
}));
