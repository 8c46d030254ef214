import { expect, test, type Page, type TestInfo } from "@playwright/test";
import {
  api,
  conversation,
  messageBox,
  runStatus,
  send,
  seriousViolations,
  unique,
  vectorStoreWithFile,
} from "./support/playground";
import { newestExchange, imagesLoaded } from "./support/follow";
import { pickAssistant } from "./support/assistant-picker";

// The page as a person meets it, at a laptop's and a phone's sizes, light and dark, measured:
// the header is one row from 1024 px up, no page scrolls sideways on a phone, the conversation
// gets the screen (at least 400 px high at 1280×720 with both side panels open, a chart fits in
// it), after each send the newest question and the start of its answer are in view, and the
// message box is a few Tab presses from the top (the skip link). Screenshots go to
// LAYOUT_SHOTS_DIR when set (else the test's output folder), to be looked at.

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

const PAGES = [
  { path: "/", name: "playground" },
  { path: "/assistants", name: "assistants" },
  { path: "/files", name: "files" },
  { path: "/vector-stores", name: "vector-stores" },
  { path: "/backup", name: "backup" },
  { path: "/settings", name: "settings" },
  { path: "/evaluate", name: "evaluate" },
] as const;
/** A one-row header: the tallest control in it (32 px) and its padding, with room to spare. */
const ONE_ROW_PX = 64;

test.describe.configure({ timeout: 240_000 });

async function useTheme(page: Page, theme: Theme) {
  await page.addInitScript((t) => localStorage.setItem("assistants-playground-theme", t), theme);
}

function shot(testInfo: TestInfo, name: string) {
  const dir = process.env.LAYOUT_SHOTS_DIR;
  return dir ? `${dir}/${name}.png` : testInfo.outputPath(`${name}.png`);
}

async function measurePage(page: Page) {
  return page.evaluate(() => ({
    documentWidth: document.documentElement.scrollWidth,
    headerHeight: Math.round(document.querySelector("header")?.getBoundingClientRect().height ?? 0),
  }));
}

test.describe("every page", () => {
  test.beforeAll(async ({ request }) => {
    // Something on each page: a file, a vector store with it, an assistant.
    const name = `${unique("layout-notes").replace(/\s+/g, "-")}-with-a-rather-long-file-name.md`;
    const uploaded = await request.post(api("files"), {
      multipart: {
        purpose: "assistants",
        file: { name, mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nShips on Tuesdays.") },
      },
    });
    expect(uploaded.ok()).toBe(true);
    const { id } = (await uploaded.json()) as { id: string };
    const store = await request.post(api("vector_stores"), {
      data: { name: unique("Layout store"), file_ids: [id] },
    });
    expect(store.ok()).toBe(true);
    const assistant = await request.post(api("assistants"), {
      data: { model: "gpt-4o", name: unique("Layout assistant"), instructions: "You help." },
    });
    expect(assistant.ok()).toBe(true);
  });

  for (const theme of THEMES) {
    test(`the header is one row from 1024 px, no page scrolls sideways at 390 px, no serious axe finding (${theme})`, async ({
      page,
    }, testInfo) => {
      await useTheme(page, theme);
      const report: string[] = [];
      for (const size of [{ width: 1024, height: 768 }, ...SIZES]) {
        await page.setViewportSize(size);
        for (const p of PAGES) {
          await page.goto(p.path);
          await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
          await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
          // The page has its data (the connection is known, lists have loaded).
          await page.waitForLoadState("networkidle");
          const m = await measurePage(page);
          report.push(`${size.width} ${p.path}: document ${m.documentWidth} px, header ${m.headerHeight} px`);
          if (size.width >= 1024)
            expect(m.headerHeight, `header at ${size.width} px on ${p.path}`).toBeLessThanOrEqual(ONE_ROW_PX);
          expect(m.documentWidth, `document width at ${size.width} px on ${p.path}`).toBeLessThanOrEqual(
            size.width,
          );
          if (size.width !== 1024) {
            await page.screenshot({ path: shot(testInfo, `${theme}-${size.width}-${p.name}`) });
            if (size.width !== 1440)
              expect(await seriousViolations(page), `axe on ${p.path} at ${size.width} px`).toEqual([]);
          }
        }
      }
      await testInfo.attach("measurements", { body: report.join("\n") });
    });
  }
});

/** Selects an assistant in the setup panel (on a phone: under the Setup tab, then back to Chat). */
async function chooseAssistant(page: Page, id: string, name: string, phone: boolean) {
  if (phone) await page.getByRole("tab", { name: "Setup" }).click();
  const setup = page.getByRole("region", { name: "Assistant setup" });
  await pickAssistant(setup, id);
  await expect(setup.getByLabel("Name", { exact: true })).toHaveValue(name);
  if (phone) {
    await page.getByRole("tab", { name: "Chat" }).click();
    await expect(page.getByRole("tab", { name: "Chat" })).toHaveAttribute("aria-selected", "true");
  }
}

/** Tab presses from the top of the page until the message box has focus (Enter on the skip link). */
async function tabsToMessageBox(page: Page) {
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
  for (let tabs = 1; tabs <= 80; tabs++) {
    await page.keyboard.press("Tab");
    const text = await page.evaluate(() => document.activeElement?.textContent ?? "");
    if (text === "Skip to the message box") {
      await page.keyboard.press("Enter");
      await expect.poll(focusedId).toBe("message-box");
      return tabs;
    }
    if ((await focusedId()) === "message-box") return tabs;
  }
  return Infinity;
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    const phone = size.width < 1024;
    test(`the playground at ${size.width}×${size.height} (${theme}): the conversation gets the screen and follows each answer`, async ({
      page,
    }, testInfo) => {
      await useTheme(page, theme);
      await page.setViewportSize(size);
      const name = unique("Layout charts");
      const created = await page.request.post(api("assistants"), {
        data: {
          model: "gpt-4o",
          name,
          instructions: "You are a helpful AI assistant who makes visualizations.",
          tools: [{ type: "code_interpreter" }],
        },
      });
      expect(created.ok()).toBe(true);
      const { id } = (await created.json()) as { id: string };
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
      await chooseAssistant(page, id, name, phone);

      // From a fresh load (the assistant is remembered): one Tab to the skip link, Enter, and the
      // message box has focus.
      await page.reload();
      await expect(page.getByRole("heading", { level: 1, name: "Assistants Playground" })).toBeVisible();
      // The browser's saved state is back (the chosen assistant, the drafts) before anything is typed.
      await expect(
        page.getByRole("combobox", { name: "Assistant", exact: true, includeHidden: true }),
      ).toHaveValue(new RegExp(` · ${id}$`));
      const tabs = await tabsToMessageBox(page);
      expect(tabs).toBeLessThanOrEqual(3);
      await expect(messageBox(page)).toBeFocused();

      const log = conversation(page);
      const images = log.getByRole("img", { name: /Image generated by the assistant/ });
      const questions = ["Create a visualization of a sinewave", "Plot a cosine wave"];
      for (const [i, question] of questions.entries()) {
        await send(page, question);
        await expect(images).toHaveCount(i + 1);
        await expect(runStatus(page)).toContainText("Completed");
        await imagesLoaded(page);
        await expect
          .poll(() => newestExchange(page))
          .toEqual({ question: question.slice(0, 37), questionInView: true, answerStartInView: true });
      }

      const box = await log.boundingBox();
      const chart = await images.last().boundingBox();
      const header = await page.getByRole("banner").boundingBox();
      const measured = { conversation: box, chart, header: header?.height };
      await testInfo.attach("measurements", { body: JSON.stringify(measured, null, 2) });
      expect(box && chart && header).toBeTruthy();
      if (!box || !chart || !header) return;
      if (!phone) {
        expect(header.height).toBeLessThanOrEqual(ONE_ROW_PX);
        // Both side panels are open (the default): the conversation still has the height.
        await expect(page.getByRole("button", { name: "Collapse Assistant setup panel" })).toBeVisible();
        await expect(page.getByRole("button", { name: "Collapse Inspector panel" })).toBeVisible();
      }
      expect(box.height).toBeGreaterThanOrEqual(phone ? 360 : 400);
      // The chart (800×500) fits in the conversation whole: scaled to its width, no taller than it.
      expect(chart.width).toBeLessThanOrEqual(box.width);
      expect(chart.height).toBeLessThanOrEqual(box.height);
      const docWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(docWidth).toBeLessThanOrEqual(size.width);
      await page.screenshot({ path: shot(testInfo, `${theme}-${size.width}-playground-conversation`) });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test("threads: titled on the thread itself (seen from another browser), the selected assistant's by default, one Tab stop with arrow keys", async ({
  page,
  browser,
}) => {
  const mk = async (name: string) => {
    const r = await page.request.post(api("assistants"), {
      data: { model: "gpt-4o", name, instructions: "You help." },
    });
    return ((await r.json()) as { id: string }).id;
  };
  const nameA = unique("Thread owner A");
  const nameB = unique("Thread owner B");
  const a = await mk(nameA);
  const b = await mk(nameB);
  await page.goto("/");
  await chooseAssistant(page, a, nameA, false);
  const list = page.getByRole("navigation", { name: "Threads" }).getByRole("list", { name: "Your threads" });
  await send(page, "First question for A");
  await expect(runStatus(page)).toContainText("Completed");
  await send(page, "A second question in the same thread");
  await expect(runStatus(page)).toContainText("Completed");
  await page.getByRole("button", { name: "New thread" }).click();
  await send(page, "Another thread for A");
  await expect(list.getByRole("button", { name: "Another thread for A", exact: true })).toBeVisible();
  await expect(runStatus(page)).toContainText("Completed");

  // The title lives in the thread's metadata, with its assistant.
  const listed = await page.request.get(api("threads?limit=20&order=desc"));
  const data = ((await listed.json()) as { data: { metadata: Record<string, string> }[] }).data;
  expect(data.map((t) => t.metadata)).toEqual(
    expect.arrayContaining([
      { title: "First question for A", assistant_id: a },
      { title: "Another thread for A", assistant_id: a },
    ]),
  );

  // One Tab stop for the list; the arrow keys move between threads.
  await expect(list.locator("[data-thread-row]")).toHaveCount(2);
  await list.getByRole("button", { name: "Another thread for A", exact: true }).focus();
  await page.keyboard.press("ArrowDown");
  await expect(list.getByRole("button", { name: "First question for A", exact: true })).toBeFocused();
  await page.keyboard.press("Home");
  await expect(list.getByRole("button", { name: "Another thread for A", exact: true })).toBeFocused();
  expect(
    await list.evaluate(
      (ul) =>
        [...ul.querySelectorAll("[data-thread-row]")].filter((el) => el.getAttribute("tabindex") === "0")
          .length,
    ),
  ).toBe(1);

  // Assistant B's list is empty until every assistant's threads are asked for.
  await chooseAssistant(page, b, nameB, false);
  await expect(page.getByRole("navigation", { name: "Threads" })).toContainText("No thread yet");
  await page.getByLabel("Every assistant's threads").check();
  await expect(list.getByRole("button", { name: "First question for A", exact: true })).toBeVisible();
  await page.getByLabel("Every assistant's threads").uncheck();

  // Another browser (nothing in its storage) sees the same titles, for assistant A only.
  const other = await browser.newContext({ storageState: process.env.E2E_STORAGE_STATE });
  const fresh = await other.newPage();
  await fresh.goto("/");
  await chooseAssistant(fresh, a, nameA, false);
  const freshList = fresh
    .getByRole("navigation", { name: "Threads" })
    .getByRole("list", { name: "Your threads" });
  await expect(freshList.getByRole("button", { name: "First question for A", exact: true })).toBeVisible();
  await expect(freshList.getByRole("button", { name: "Another thread for A", exact: true })).toBeVisible();
  await freshList.getByRole("button", { name: "First question for A", exact: true }).click();
  await expect(conversation(fresh).getByRole("article", { name: "You" })).toHaveCount(2);
  // Renamed there, the title is the thread's: this browser sees it after a reload.
  await freshList.getByRole("button", { name: "Rename First question for A" }).click();
  await fresh.getByLabel(/^Title of thread_/).fill("Renamed elsewhere");
  await fresh.getByRole("button", { name: "Save title" }).click();
  await expect(freshList.getByRole("button", { name: "Renamed elsewhere", exact: true })).toBeVisible();
  await expect(fresh.getByText("Saving…")).toHaveCount(0);
  await other.close();
  await page.reload();
  await chooseAssistant(page, a, nameA, false);
  await expect(list.getByRole("button", { name: "Renamed elsewhere", exact: true })).toBeVisible();

  // The thread list folds away and the conversation takes its room; the choice is remembered.
  const log = conversation(page);
  const before = (await log.boundingBox())?.width ?? 0;
  await page.getByRole("button", { name: "Threads", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Threads" })).toBeHidden();
  expect((await log.boundingBox())?.width ?? 0).toBeGreaterThan(before + 150);
  await page.reload();
  await expect(messageBox(page)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Threads" })).toBeHidden();
  await page.getByRole("button", { name: "Threads", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Threads" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("side panels are resized by dragging or with the keyboard, and the widths are remembered", async ({
  page,
}) => {
  await page.goto("/");
  const setup = page.getByRole("region", { name: "Assistant setup" });
  const edge = page.getByRole("separator", { name: "Width of the Assistant setup panel" });
  const start = (await setup.boundingBox())!.width;
  const handle = (await edge.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + 60, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await setup.boundingBox())!.width).toBeGreaterThan(start + 40);
  const inspector = page.getByRole("region", { name: "Inspector" });
  const inspectorEdge = page.getByRole("separator", { name: "Width of the Inspector panel" });
  const inspectorStart = (await inspector.boundingBox())!.width;
  await inspectorEdge.focus();
  // Left widens the inspector (it is right of its edge); a side panel takes at most 30 % of the window.
  await page.keyboard.press("ArrowLeft");
  await expect.poll(async () => (await inspector.boundingBox())!.width).toBe(inspectorStart + 16);
  const widths = {
    setup: (await setup.boundingBox())!.width,
    inspector: (await inspector.boundingBox())!.width,
  };
  await page.reload();
  await expect.poll(async () => (await setup.boundingBox())!.width).toBe(widths.setup);
  expect((await inspector.boundingBox())!.width).toBe(widths.inspector);
  await expect(inspectorEdge).toHaveAttribute("aria-valuenow", String(widths.inspector));
  await inspectorEdge.press("Home");
  await expect(inspectorEdge).toHaveAttribute("aria-valuenow", "224");
});

test("on a phone the playground is three tabs, and pages are menus in the header", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const tabs = page.getByRole("tablist", { name: "Playground panels" });
  await expect(tabs.getByRole("tab", { name: "Chat" })).toHaveAttribute("aria-selected", "true");
  await expect(messageBox(page)).toBeVisible();
  await expect(page.getByRole("region", { name: "Assistant setup" })).toBeHidden();
  await tabs.getByRole("tab", { name: "Chat" }).press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: "Inspector" })).toBeFocused();
  await expect(page.getByRole("region", { name: "Inspector" })).toBeVisible();
  await expect(messageBox(page)).toBeHidden();
  await tabs.getByRole("tab", { name: "Setup" }).click();
  await expect(
    page.getByRole("region", { name: "Assistant setup" }).getByLabel("Name", { exact: true }),
  ).toBeVisible();

  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages.getByRole("link", { name: "Files" })).toBeHidden();
  await pages.getByRole("button", { name: /Pages/ }).click();
  await page.screenshot({ path: shot(testInfo, "light-390-pages-menu") });
  await pages.getByRole("link", { name: "Files" }).click();
  await expect(page).toHaveURL(/\/files$/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a vector store's file list and the files table fit a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const name = `${unique("phone").replace(/\s+/g, "-")}-a-long-descriptive-file-name-for-the-phone.md`;
  await vectorStoreWithFile(page, name, "# Phone\n\nSmall screens.", unique("Phone store"));
  for (const path of ["/files", "/vector-stores"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
});
