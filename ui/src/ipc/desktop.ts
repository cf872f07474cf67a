// The desktop's own pieces: file dialogs (tauri-plugin-dialog) and the window's close request.
// Every picker answers a path or null (cancelled, or no dialog available as in tests): each path
// field on screen can also be typed, so nothing depends on a dialog.

import { listen } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";

async function quiet<T>(f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch {
    return null;
  }
}

/** One existing file; `extensions` filters the list (e.g. ["toml"]). */
export const pickFile = (title: string, extensions?: string[]) =>
  quiet(async () => {
    const p = await open({ title, multiple: false, directory: false, filters: extensions ? [{ name: title, extensions }] : undefined });
    return typeof p === "string" ? p : null;
  });

/** One folder. */
export const pickFolder = (title: string) =>
  quiet(async () => {
    const p = await open({ title, multiple: false, directory: true });
    return typeof p === "string" ? p : null;
  });

/** Where to write a new file. */
export const pickSavePath = (title: string, defaultPath?: string, extensions?: string[]) =>
  quiet(async () => (await save({ title, defaultPath, filters: extensions ? [{ name: title, extensions }] : undefined })) ?? null);

/** Called when the admin closes the window while the plan has unsaved changes (the close is held). */
export async function onCloseRequested(handler: () => void): Promise<() => void> {
  try {
    return await listen("close-requested", handler);
  } catch {
    return () => {};
  }
}
