// Turns an IpcError into a sentence in the current language, by its stable code.

import type { IpcError } from "../ipc";
import type { Translate } from "./i18n";

export function errorText(t: Translate, e: IpcError): string {
  const key = `errors.${e.code}`;
  const text = t(key, { ...e.params, defaultValue: "" });
  return text !== "" ? text : t("errors.unknown", { message: e.message });
}
