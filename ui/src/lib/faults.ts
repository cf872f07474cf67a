// The built-in receiver's deliberate misbehaviours (the core's FaultMode), in a fixed order for
// the dropdown. The Record makes the compiler reject a mode missing here when the core adds one.

import type { FaultMode } from "../ipc";

const ORDER: Record<FaultMode, number> = {
  wrong_key: 1,
  echo_ciphertext: 2,
  json_wrapped: 3,
  quoted: 4,
  bom: 5,
  newline: 6,
  html: 7,
  not_found: 8,
  server_error: 9,
  redirect: 10,
  slow: 11,
  hang: 12,
  huge_body: 13,
  empty: 14,
};

export const FAULT_MODES = (Object.keys(ORDER) as FaultMode[]).sort((a, b) => ORDER[a] - ORDER[b]);
