import type { Assistant } from "openai/resources/beta/assistants";
import { emptyForm, formFromAssistant, type AssistantFormValues } from "./form";

/** What the builder starts from: the saved assistant, or a new one on the connection's first deployment. */
export function draftBase(assistant: Assistant | null, defaultDeployment?: string): AssistantFormValues {
  return assistant ? formFromAssistant(assistant) : emptyForm(defaultDeployment);
}

/** Without the editor-only keys, so a draft equal to the saved assistant is not "unsaved". */
function comparable(v: AssistantFormValues): string {
  return JSON.stringify({ ...v, functions: v.functions.map((f) => f.json) });
}

/** Whether a stored draft holds edits that `base` does not have. */
export function isUnsaved(draft: AssistantFormValues | undefined, base: AssistantFormValues): boolean {
  return draft !== undefined && comparable(draft) !== comparable(base);
}
