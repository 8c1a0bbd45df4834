import { describe, expect, it } from "vitest";
import { EMPTY_HISTORY, browse, remember } from "./input-history.js";

describe("the input line's history", () => {
  it("walks back with ↑ and forward with ↓, giving back the unsent line at the end", () => {
    let history = remember(remember(EMPTY_HISTORY, "look"), "go north");
    let step = browse(history, "take la", -1);
    expect(step.line).toBe("go north");
    history = step.history;
    step = browse(history, step.line, -1);
    expect(step.line).toBe("look");
    step = browse(step.history, step.line, -1);
    expect(step.line).toBe("look");
    step = browse(step.history, step.line, 1);
    expect(step.line).toBe("go north");
    step = browse(step.history, step.line, 1);
    expect(step.line).toBe("take la");
    step = browse(step.history, step.line, 1);
    expect(step.line).toBe("take la");
  });

  it("skips blank lines and repeats of the last line", () => {
    const history = remember(remember(remember(EMPTY_HISTORY, "look"), "look"), "   ");
    expect(history.entries).toEqual(["look"]);
  });

  it("does nothing on ↑ when empty", () => {
    expect(browse(EMPTY_HISTORY, "x", -1)).toEqual({ history: EMPTY_HISTORY, line: "x" });
  });
});
