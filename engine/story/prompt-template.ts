import { readFileSync } from "node:fs";

/**
 * Prompts are plain-text files beside the generator that uses them, so modders can read and
 * change them without touching code. `{{name}}` is replaced by a value; a placeholder with no
 * value is an error, so a typo in a prompt file is caught by the golden tests, not by players.
 */

export class PromptTemplate {
  readonly names: readonly string[];

  constructor(readonly file: string, readonly text: string) {
    this.names = [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
  }

  /** Loads `name` from the folder of the module whose `import.meta.url` is given. */
  static load(moduleUrl: string, name: string): PromptTemplate {
    const url = new URL(name, moduleUrl);
    return new PromptTemplate(url.pathname, readFileSync(url, "utf8"));
  }

  render(values: Readonly<Record<string, string>>): string {
    return this.text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`${this.file}: no value for {{${key}}}`);
      return value;
    });
  }
}
