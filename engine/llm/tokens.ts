/**
 * Tokens a text takes when the model's own tokenizer is not at hand: about four characters a
 * token, the usual rule for English with BPE tokenizers. One definition, so every budget, skip
 * and prompt assembly estimates alike.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
