import { describe, expect, it } from "vitest";
import { splitCodeLogs } from "./code-logs";

describe("splitCodeLogs", () => {
  it("leaves plain output alone", () => {
    expect(splitCodeLogs("x = 3\nError rate: 0.2\n")).toEqual({
      output: "x = 3\nError rate: 0.2\n",
      error: null,
    });
  });

  it("separates a Python traceback from what was printed before it, titled by its last line", () => {
    const logs =
      "before\n" +
      "Traceback (most recent call last):\n" +
      '  File "<cell 2>", line 3, in <module>\n' +
      "    1 / 0\n" +
      "ZeroDivisionError: division by zero\n";
    expect(splitCodeLogs(logs)).toEqual({
      output: "before",
      error: {
        title: "ZeroDivisionError: division by zero",
        text: logs.slice("before\n".length).trimEnd(),
      },
    });
  });

  it("reads a SyntaxError (no frames, the cell's line and a caret) and a dotted exception name", () => {
    const syntax = "  File \"<cell 1>\", line 1\n    x = (\n        ^\nSyntaxError: '(' was never closed\n";
    expect(splitCodeLogs(syntax).error?.title).toBe("SyntaxError: '(' was never closed");
    const dotted =
      'Traceback (most recent call last):\n  File "<cell 4>", line 1, in <module>\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n';
    expect(splitCodeLogs(dotted).error?.title).toBe(
      "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
    );
    expect(splitCodeLogs("Traceback (most recent call last):\nKeyboardInterrupt\n").error?.title).toBe(
      "KeyboardInterrupt",
    );
  });

  it("reads IPython's traceback (hosted code interpreter, Azure sessions)", () => {
    const logs =
      "---------------------------------------------------------------------------\n" +
      "NameError                                 Traceback (most recent call last)\n" +
      "Cell In[1], line 1\n----> 1 undefined_name\n\nNameError: name 'undefined_name' is not defined";
    expect(splitCodeLogs(logs)).toMatchObject({
      output: "",
      error: { title: "NameError: name 'undefined_name' is not defined" },
    });
  });

  it("titles a stop by the sandbox with its own line, keeping the output printed before it", () => {
    const logs =
      "step 1\nstep 2\nExecution stopped: the time limit (60 s) was reached; the session was restarted.";
    expect(splitCodeLogs(logs)).toEqual({
      output: "step 1\nstep 2",
      error: {
        title: "Execution stopped: the time limit (60 s) was reached; the session was restarted.",
        text: "Execution stopped: the time limit (60 s) was reached; the session was restarted.",
      },
    });
    expect(splitCodeLogs("Sandbox unavailable: off: bwrap not found").error?.title).toBe(
      "Sandbox unavailable: off: bwrap not found",
    );
  });

  it("keeps the truncation marker in the text, out of the title", () => {
    const logs = "Traceback (most recent call last):\nValueError: bad\n[output truncated]";
    expect(splitCodeLogs(logs).error).toEqual({ title: "ValueError: bad", text: logs });
  });
});
