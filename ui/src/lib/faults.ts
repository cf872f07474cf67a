// The built-in receiver's deliberate misbehaviours (the core's FaultMode), in a fixed order for
// the dropdown. The Record makes the compiler reject a mode missing here when the core adds one.

import type { FaultMode } from "../ipc";

const ORDER: Record<FaultMode, number> = {
  wrong_key: 1,
  echo_ciphertext: 2,
  server_error_code: 3,
  bytes_repr: 4,
  json_wrapped: 5,
  quoted: 6,
  bom: 7,
  trailing_newline: 8,
  trailing_whitespace: 9,
  double_url_decode: 10,
  inconsistent_backends: 11,
  html: 12,
  not_found: 13,
  server_error: 14,
  auth_required: 15,
  method_not_allowed: 16,
  redirect: 17,
  slow: 18,
  hang: 19,
  huge_body: 20,
  empty: 21,
};

export const FAULT_MODES = (Object.keys(ORDER) as FaultMode[]).sort((a, b) => ORDER[a] - ORDER[b]);
