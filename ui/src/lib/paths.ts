// How a file path is shown where there is room for one line: the end of the path (the folder and
// the file name) matters to the admin, the start least.

/** The path whole when it is short; else "…/" and its last `keep` parts (the full one goes in a title). */
export function shortPath(path: string, max = 40, keep = 2): string {
  if (path.length <= max) return path;
  const sep = path.includes("\\") && !path.includes("/") ? "\\" : "/";
  const parts = path.split(sep).filter((p) => p !== "");
  if (parts.length <= keep) return path;
  return `…${sep}${parts.slice(-keep).join(sep)}`;
}
