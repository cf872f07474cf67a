// A Svelte action for an answer that appears below the button that asked for it: the page scrolls
// just enough to show it, so a result under the fold is not missed.

/** `use:reveal` on an element shown by `{#if}` brings it into view when it appears. */
export function reveal(node: HTMLElement): void {
  node.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
}
