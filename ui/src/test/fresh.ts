// The state every component test starts from, registered once per test file.

import { beforeEach, type Mock } from "vitest";
import { setLang } from "../lib/i18n";
import { resetPlan } from "../lib/plan.svelte";

/** Before each test: English, no plan open, and each of `mocks` (the stand-in `invoke`, dialogs) forgotten. */
export function freshEachTest(...mocks: Mock[]) {
  beforeEach(() => {
    setLang("en");
    resetPlan();
    for (const m of mocks) m.mockReset();
  });
}
