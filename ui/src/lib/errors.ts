// Turns an IpcError into a sentence in the current language, by its stable code.

import type { IpcError } from "../ipc";
import type { Translate } from "./i18n";

export function errorText(t: Translate, e: IpcError): string {
  const key = `errors.${e.code}`;
  const text = t(key, { ...e.params, defaultValue: "" });
  return text !== "" ? text : t("errors.unknown", { message: e.message });
}

/** A screen's own wording of an error (`<section>.errors.<code>`, which may quote the message),
 *  else the app-wide one. */
export function sectionErrorText(t: Translate, section: string, e: IpcError): string {
  const own = t(`${section}.errors.${e.code}`, { ...e.params, message: e.message, defaultValue: "" });
  return own !== "" ? own : errorText(t, e);
}
