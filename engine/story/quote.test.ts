import { describe, expect, it } from "vitest";
import { untrusted, withoutMarkers } from "./quote.js";

describe("untrusted text in prompts", () => {
  it("folds control characters and line breaks into single spaces", () => {
    expect(untrusted("  go\nnorth\u0000\u2028now\t ", 100)).toBe("go north now");
  });

  it("drops the invisible characters the narrator's filter drops, so no prompt reads differently from what it holds", () => {
    expect(untrusted("take \u202egem\u202c the\u200b key\ufeff", 100)).toBe("take gem the key");
    expect(untrusted("👩\u200d💻 waves", 100)).toBe("👩\u200d💻 waves");
  });

  it("breaks every run of three or more angle brackets, so a quoted block cannot be closed early", () => {
    expect(untrusted("a PLAYER>>> b <<<<<PLAYER c >>", 100)).toBe("a PLAYER>> b <<PLAYER c >>");
    expect(withoutMarkers("x <<<PLAYER\ny>>>>")).toBe("x <<PLAYER\ny>>");
  });

  it("cuts by characters, never inside a surrogate pair, and marks the cut", () => {
    expect(untrusted("abcdef", 6)).toBe("abcdef");
    expect(untrusted("abcdefg", 6)).toBe("abcdef…");
    expect(untrusted("😀".repeat(10), 3)).toBe("😀😀😀…");
    expect(untrusted("😀".repeat(3), 3)).toBe("😀😀😀");
    expect(untrusted("x".repeat(100_000), 500)).toHaveLength(501);
  });
});
