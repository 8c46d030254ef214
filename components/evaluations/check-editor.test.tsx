// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import type { PlaygroundConnection } from "@/lib/client/connections";
import type { Check } from "@/lib/evaluations/model";
import { CheckEditor } from "./check-editor";

afterEach(cleanup);

const connection: PlaygroundConnection = {
  name: "local",
  kind: "local",
  label: "Local engine",
  description: "",
  apiVersion: "2024-05-01-preview",
  apiVersions: ["2024-05-01-preview"],
  deployments: ["gpt-4o-mini"],
  default: true,
};

function Harness({ initial, onChange }: { initial: Check; onChange: (c: Check) => void }) {
  const [check, setCheck] = useState(initial);
  return (
    <CheckEditor
      name="check 1 of prompt 1"
      check={check}
      connections={[connection]}
      onChange={(c) => {
        setCheck(c);
        onChange(c);
      }}
      onRemove={() => {}}
    />
  );
}

it("switching the kind gives that kind's fields and defaults; a graded check names the connection and deployment", () => {
  const onChange = vi.fn();
  render(<Harness initial={{ type: "contains", value: "Paris" }} onChange={onChange} />);
  expect((screen.getByLabelText("Text") as HTMLInputElement).value).toBe("Paris");
  fireEvent.change(screen.getByLabelText("Check"), { target: { value: "model_graded" } });
  expect(onChange).toHaveBeenLastCalledWith({
    type: "model_graded",
    rubric: "",
    connection: "local",
    apiVersion: "2024-05-01-preview",
    model: "gpt-4o-mini",
  });
  expect(screen.getByLabelText("Rubric")).toBeTruthy();
  expect(screen.queryByLabelText("Text")).toBeNull();
  expect(screen.getByRole("button", { name: "Remove check 1 of prompt 1" })).toBeTruthy();
});

it("a JSON field keeps what is typed while it does not parse, says why, and updates the check once it does", () => {
  const onChange = vi.fn();
  render(<Harness initial={{ type: "calls_function", name: "get_weather" }} onChange={onChange} />);
  const values = screen.getByLabelText("Argument values (optional)") as HTMLTextAreaElement;
  fireEvent.change(values, { target: { value: '{"city": ' } });
  expect(values.value).toBe('{"city": ');
  expect(screen.getByText(/^Not a JSON object yet: /)).toBeTruthy();
  expect(onChange).not.toHaveBeenCalled();
  fireEvent.change(values, { target: { value: '{"city": "Lisbon"}' } });
  expect(onChange).toHaveBeenLastCalledWith({
    type: "calls_function",
    name: "get_weather",
    argumentValues: { city: "Lisbon" },
  });
  expect(screen.queryByText(/^Not a JSON object yet/)).toBeNull();
  fireEvent.change(values, { target: { value: "[1]" } });
  expect(screen.getByText("Not a JSON object yet: expected a JSON object")).toBeTruthy();
  fireEvent.change(values, { target: { value: "" } });
  expect(onChange).toHaveBeenLastCalledWith({
    type: "calls_function",
    name: "get_weather",
    argumentValues: undefined,
  });
});
