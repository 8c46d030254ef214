// Finds a Chromium for Playwright: Playwright's own browser when it is installed, else Debian's
// /usr/bin/chromium (Playwright cannot download its browsers on machines without internet access).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

export function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require("@playwright/test");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright not installed yet, or no browser of its own: fall through.
  }
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    if (existsSync(p)) return p;
  }
  return null;
}

export const HOW_TO_GET_CHROMIUM =
  "No Chromium found. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), or " +
  "`npx playwright install chromium` where downloads work, or set CHROMIUM_PATH to a Chromium binary.";

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChromium();
  if (found) console.log(found);
  else {
    console.error(HOW_TO_GET_CHROMIUM);
    process.exit(1);
  }
}
