// One polite aria-live region for the whole window (App.svelte renders it): a check passing or
// failing, a file written, is read out by screen readers without moving the focus.

export const announcer = $state({ text: "" });

/** Says `text` through the live region (the same text twice is still announced). */
export function announce(text: string): void {
  announcer.text = "";
  queueMicrotask(() => (announcer.text = text));
}
