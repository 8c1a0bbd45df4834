import type { ModelFile } from "../../../../engine/api/index.js";
import { formatBytes, formatCount } from "../../format.js";

/** What the GGUF header says about a file. */
export function ModelFileDetails({ file }: { readonly file: ModelFile }) {
  if (file.problem !== undefined) return <p className="field-error">{file.problem}</p>;
  const facts = [
    file.architecture,
    file.parameters === undefined ? undefined : `${file.parameters} parameters`,
    file.quantization,
    file.contextLength === undefined ? undefined : `context ${formatCount(file.contextLength)}`,
    formatBytes(file.size),
    file.chatTemplate === false ? "no chat template" : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  return <p className="hint model-facts">{facts.join(" · ")}</p>;
}
