// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import { checkJsonSchema } from "@/lib/client/assistants/json-schema";
import { FunctionsEditor } from "./functions-editor";

afterEach(cleanup);

describe("FunctionsEditor", () => {
  it("lists every problem of a bad parameters schema under the function, in plain words at its place", async () => {
    const parameters = {
      type: "object",
      properties: { city: { type: "strin" }, unit: "celsius" },
      required: "city",
    };
    const error = await checkJsonSchema(parameters, '"parameters"');
    const json = JSON.stringify({ name: "get_weather", parameters }, null, 2);
    render(
      <FunctionsEditor
        functions={[{ key: "f1", json }]}
        onChange={() => {}}
        errors={{ "function.f1": error! }}
        apiVersion="2024-05-01-preview"
        toolCount={1}
      />,
    );
    const box = screen.getByLabelText("Function get_weather (JSON)");
    expect(box.getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(box.getAttribute("aria-describedby")!)!;
    expect(message.textContent).toContain('"parameters" is not a valid JSON Schema (3 problems):');
    const items = within(message)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual([
      'properties › city › type: "strin" is not a JSON type. Use one of string, number, integer, boolean, object, array or null.',
      'properties › unit: must be a schema (an object such as {"type": "string"}), not the text "celsius".',
      'required: must be a list of property names, such as ["city"], not one name.',
    ]);
    expect(message.textContent).not.toMatch(/subschema/);
  });
});
