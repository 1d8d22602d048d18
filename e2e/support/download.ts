import type { Download } from "@playwright/test";

/** A download's content as text. */
export async function downloadText(download: Download): Promise<string> {
  return (await (await download.createReadStream()).toArray()).join("");
}
