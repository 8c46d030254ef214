import { expect, type Page } from "@playwright/test";
import { conversation } from "./playground";

/**
 * Where the newest question and the heading of the answer after it sit in the conversation's
 * viewport: each is in view when it lies wholly between the viewport's top and bottom.
 */
export function newestExchange(page: Page) {
  return conversation(page).evaluate((log) => {
    const view = log.getBoundingClientRect();
    const inView = (el: Element | null | undefined) => {
      if (!el) return false;
      const box = el.getBoundingClientRect();
      return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
    };
    const articles = [...log.querySelectorAll("article")];
    const questions = articles.filter((a) => a.querySelector("h3")?.textContent === "You");
    const question = questions.at(-1);
    const answer = question ? articles[articles.indexOf(question) + 1] : undefined;
    return {
      question: question?.textContent?.slice(3, 40) ?? null,
      questionInView: inView(question),
      answerStartInView: inView(answer?.querySelector("h3")),
    };
  });
}

/** Every image in the conversation has loaded (the layout shift it makes is behind us). */
export async function imagesLoaded(page: Page) {
  await expect
    .poll(() =>
      conversation(page).evaluate((log) =>
        [...log.querySelectorAll("img")].every((img) => img.complete && img.naturalHeight > 0),
      ),
    )
    .toBe(true);
}
