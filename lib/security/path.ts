/**
 * Dynamic route segments. Next 16 hands them over differently: a route handler gets each one
 * decoded once ("%25" arrives as "%"), a page gets it as the URL had it ("%25"). Tether decoded
 * route handlers' segments a second time, so `%25` crashed them (URIError, a 500 with a stack
 * trace) and `%2541` became `A`. No id Tether serves (UUIDs, host ids, pipeline names,
 * accounts, Regions, ARNs) contains "%" or a control character, so a segment that holds one
 * after its single decode was encoded twice, or is an attack: it names nothing (404).
 */

/** A route handler's segment (already decoded): usable as it is, or names nothing. */
export function isPlainSegment(value: string): boolean {
  return value.length > 0 && value.length <= 2048 && !/[%\u0000-\u001f\u007f]/.test(value);
}

/** A page's segment (still encoded) decoded once, or null when it does not decode to a plain value. */
export function pageSegment(raw: string): string | null {
  try {
    const value = decodeURIComponent(raw);
    return isPlainSegment(value) ? value : null;
  } catch {
    return null;
  }
}

/** Whether every segment of a raw (still percent-encoded) path decodes; Next answers 500 otherwise. */
export function isDecodablePath(pathname: string): boolean {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
