import { describe, expect, it } from "vitest";
import { shortPath } from "./paths";

describe("shortPath", () => {
  it("keeps a short path whole", () => {
    expect(shortPath("/home/admin/plan.toml")).toBe("/home/admin/plan.toml");
  });
  it("cuts a long path at its start, keeping the folder and the file name", () => {
    expect(shortPath("/root/.local/share/com.quickaudience.wecomsetup/demo/plan.toml")).toBe("…/demo/plan.toml");
  });
  it("follows Windows separators", () => {
    expect(shortPath("C:\\Users\\admin\\AppData\\Roaming\\com.quickaudience.wecomsetup\\demo\\plan.toml")).toBe("…\\demo\\plan.toml");
  });
  it("keeps a long single name whole (nothing to cut)", () => {
    const long = "x".repeat(60) + ".toml";
    expect(shortPath(long)).toBe(long);
  });
});
