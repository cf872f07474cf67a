import { describe, expect, it } from "vitest";
import { FLOW, nextStep, previousStep, position } from "./steps";

describe("step navigation", () => {
  it("Next walks the whole flow in the order of product.md and stops at Export", () => {
    const seen: string[] = [];
    let s: ReturnType<typeof nextStep> = "start";
    while (s !== null) {
      seen.push(s);
      s = nextStep(s);
    }
    expect(seen).toEqual(["start", "resources", "wecom_app", "network", "callback", "verify", "database", "export"]);
  });

  it("Back walks it in reverse and stops at Start", () => {
    expect(previousStep("export")).toBe("database");
    expect(previousStep("start")).toBeNull();
  });

  it("Troubleshoot sits outside the flow: no position, no Back, Next returns to Start", () => {
    expect(position("troubleshoot")).toBeNull();
    expect(previousStep("troubleshoot")).toBeNull();
    expect(nextStep("troubleshoot")).toBe("start");
    expect(position("export")).toBe(FLOW.length);
  });
});
