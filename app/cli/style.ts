/** ANSI colour for the terminal, only when stdout is a TTY and NO_COLOR is not set. */
const enabled = process.stdout.isTTY === true && !process.env["NO_COLOR"];

const wrap = (open: number, close: number) => (text: string): string =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const style = {
  title: wrap(1, 22),
  dim: wrap(2, 22),
  prompt: wrap(36, 39),
  error: wrap(31, 39),
};
