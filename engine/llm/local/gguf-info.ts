import fs from "node:fs/promises";
import { GgmlType, GgufFileType, readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";

/**
 * Reads and checks a GGUF file's header before llama.cpp ever sees it. GGUF files come from
 * players and modders, so they are untrusted: llama.cpp reports a truncated file only as "Failed
 * to load model" and may misbehave on a garbage header, while node-llama-cpp's reader happily
 * returns a header that runs past the end of a cut-off file. Everything here is checked against
 * the file's real size so that a bad file gets a message naming the file and the problem.
 */

export type GgufProblemKind = "missing" | "unreadable" | "not-gguf" | "unsupported" | "corrupt" | "truncated";

export class GgufFileError extends Error {
  override readonly name = "GgufFileError";
  readonly file: string;
  readonly kind: GgufProblemKind;
  /** The problem without the file name, for listings that already show the name. */
  readonly problem: string;

  constructor(file: string, kind: GgufProblemKind, problem: string, cause?: unknown) {
    super(`Model file ${file} ${problem}`, cause === undefined ? undefined : { cause });
    this.file = file;
    this.kind = kind;
    this.problem = problem;
  }
}

export interface GgufSummary {
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly ggufVersion: number;
  readonly architecture: string;
  /** `general.name`, when the file says. */
  readonly modelName: string | undefined;
  /** Weights counted from the tensor shapes. */
  readonly parameterCount: number;
  /** The file type ("Q4_K_M", "F16"), or the dominant tensor type when the file does not say. */
  readonly quantization: string;
  /** The context length the model was trained with, when the file says. */
  readonly contextLength: number | undefined;
  readonly hasChatTemplate: boolean;
  readonly tensorCount: number;
  readonly vocabularySize: number | undefined;
}

const GGUF_MAGIC = "GGUF";
const SUPPORTED_VERSIONS: ReadonlySet<number> = new Set([2, 3]);

/**
 * Bytes per block and elements per block of the ggml tensor types, as laid out in ggml's
 * `type_traits`. Needed to know where a tensor's data ends, and so whether the file is complete.
 * A type missing here (a newer one) is checked only for where its data starts.
 */
const TYPE_LAYOUT: ReadonlyMap<GgmlType, { readonly blockElements: number; readonly blockBytes: number }> = new Map([
  [GgmlType.F32, { blockElements: 1, blockBytes: 4 }],
  [GgmlType.F16, { blockElements: 1, blockBytes: 2 }],
  [GgmlType.BF16, { blockElements: 1, blockBytes: 2 }],
  [GgmlType.F64, { blockElements: 1, blockBytes: 8 }],
  [GgmlType.I8, { blockElements: 1, blockBytes: 1 }],
  [GgmlType.I16, { blockElements: 1, blockBytes: 2 }],
  [GgmlType.I32, { blockElements: 1, blockBytes: 4 }],
  [GgmlType.I64, { blockElements: 1, blockBytes: 8 }],
  [GgmlType.Q4_0, { blockElements: 32, blockBytes: 18 }],
  [GgmlType.Q4_1, { blockElements: 32, blockBytes: 20 }],
  [GgmlType.Q5_0, { blockElements: 32, blockBytes: 22 }],
  [GgmlType.Q5_1, { blockElements: 32, blockBytes: 24 }],
  [GgmlType.Q8_0, { blockElements: 32, blockBytes: 34 }],
  [GgmlType.Q8_1, { blockElements: 32, blockBytes: 36 }],
  [GgmlType.Q2_K, { blockElements: 256, blockBytes: 84 }],
  [GgmlType.Q3_K, { blockElements: 256, blockBytes: 110 }],
  [GgmlType.Q4_K, { blockElements: 256, blockBytes: 144 }],
  [GgmlType.Q5_K, { blockElements: 256, blockBytes: 176 }],
  [GgmlType.Q6_K, { blockElements: 256, blockBytes: 210 }],
  [GgmlType.Q8_K, { blockElements: 256, blockBytes: 292 }],
  [GgmlType.IQ2_XXS, { blockElements: 256, blockBytes: 66 }],
  [GgmlType.IQ2_XS, { blockElements: 256, blockBytes: 74 }],
  [GgmlType.IQ2_S, { blockElements: 256, blockBytes: 82 }],
  [GgmlType.IQ3_XXS, { blockElements: 256, blockBytes: 98 }],
  [GgmlType.IQ3_S, { blockElements: 256, blockBytes: 110 }],
  [GgmlType.IQ1_S, { blockElements: 256, blockBytes: 50 }],
  [GgmlType.IQ1_M, { blockElements: 256, blockBytes: 56 }],
  [GgmlType.IQ4_NL, { blockElements: 32, blockBytes: 18 }],
  [GgmlType.IQ4_XS, { blockElements: 256, blockBytes: 136 }],
  [GgmlType.TQ1_0, { blockElements: 256, blockBytes: 54 }],
  [GgmlType.TQ2_0, { blockElements: 256, blockBytes: 66 }],
  [GgmlType.MXFP4, { blockElements: 32, blockBytes: 17 }],
]);

export async function inspectGguf(file: string): Promise<GgufSummary> {
  const { sizeBytes, mtimeMs, head } = await readHead(file);
  if (sizeBytes < 8) {
    throw new GgufFileError(file, sizeBytes === 0 ? "not-gguf" : "truncated",
      sizeBytes === 0 ? "is empty" : `is only ${sizeBytes} bytes long, too short for a GGUF header`);
  }
  const magic = head.subarray(0, 4).toString("latin1");
  if (magic !== GGUF_MAGIC) {
    throw new GgufFileError(file, "not-gguf", `is not a GGUF file (it starts with ${describeBytes(head.subarray(0, 4))}, not "GGUF")`);
  }
  const version = head.readUInt32LE(4);
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw version < 16
      ? new GgufFileError(file, "unsupported", `is GGUF version ${version}, which llama.cpp no longer reads (versions 2 and 3 are supported)`)
      : new GgufFileError(file, "corrupt", `has a corrupt GGUF header (version field reads ${version})`);
  }

  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    throw new GgufFileError(file, "corrupt", `has a corrupt GGUF header (${errorMessage(error)})`, error);
  }

  const tensors = info.tensorInfo ?? [];
  const headerEnd = info.infoEndOffset ?? 0;
  if (headerEnd > sizeBytes) {
    throw truncated(file, headerEnd, sizeBytes);
  }
  const architecture: unknown = info.metadata.general?.architecture;
  if (typeof architecture !== "string" || architecture.length === 0) {
    throw new GgufFileError(file, "corrupt", "has a corrupt GGUF header (no general.architecture)");
  }
  if (tensors.length === 0) {
    throw new GgufFileError(file, "corrupt", "has a corrupt GGUF header (it lists no tensors)");
  }

  let parameterCount = 0;
  let dataEnd = 0;
  const elementsByType = new Map<GgmlType, number>();
  for (const tensor of tensors) {
    const elements = tensor.dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
    if (!Number.isSafeInteger(elements) || elements < 0) {
      throw new GgufFileError(file, "corrupt", `has a corrupt GGUF header (tensor ${tensor.name} has impossible dimensions)`);
    }
    parameterCount += elements;
    elementsByType.set(tensor.ggmlType, (elementsByType.get(tensor.ggmlType) ?? 0) + elements);
    const layout = TYPE_LAYOUT.get(tensor.ggmlType);
    const bytes = layout === undefined ? 1 : Math.ceil(elements / layout.blockElements) * layout.blockBytes;
    dataEnd = Math.max(dataEnd, Number(tensor.fileOffset) + bytes);
  }
  if (dataEnd > sizeBytes) {
    throw truncated(file, dataEnd, sizeBytes);
  }

  const tokenizer = info.metadata.tokenizer;
  const tokens: unknown = tokenizer?.ggml?.tokens;
  const contextLength: unknown = info.architectureMetadata.context_length;
  const modelName: unknown = info.metadata.general?.name;
  return {
    path: file,
    sizeBytes,
    mtimeMs,
    ggufVersion: version,
    architecture,
    modelName: typeof modelName === "string" ? modelName : undefined,
    parameterCount,
    quantization: quantizationName(info.metadata.general?.file_type, elementsByType),
    contextLength: typeof contextLength === "number" && contextLength > 0 ? contextLength : undefined,
    hasChatTemplate: typeof tokenizer?.chat_template === "string" && tokenizer.chat_template.length > 0,
    tensorCount: tensors.length,
    vocabularySize: Array.isArray(tokens) ? tokens.length : undefined,
  };
}

async function readHead(file: string): Promise<{ sizeBytes: number; mtimeMs: number; head: Buffer }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, "r");
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GgufFileError(file, "unreadable", "is not a regular file");
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    return { sizeBytes: stat.size, mtimeMs: stat.mtimeMs, head };
  } catch (error) {
    throw error instanceof GgufFileError ? error : openError(file, error);
  } finally {
    await handle.close();
  }
}

function openError(file: string, error: unknown): GgufFileError {
  const code = errorCode(error);
  if (code === "ENOENT") return new GgufFileError(file, "missing", "was not found", error);
  if (code === "EISDIR") return new GgufFileError(file, "unreadable", "is a directory, not a file", error);
  if (code === "EACCES" || code === "EPERM") return new GgufFileError(file, "unreadable", "cannot be read (permission denied)", error);
  return new GgufFileError(file, "unreadable", `cannot be read (${errorMessage(error)})`, error);
}

function truncated(file: string, needed: number, actual: number): GgufFileError {
  return new GgufFileError(file, "truncated",
    `is truncated: its header describes ${needed} bytes but the file has only ${actual} (an interrupted download or copy?)`);
}

function quantizationName(fileType: unknown, elementsByType: ReadonlyMap<GgmlType, number>): string {
  if (typeof fileType === "number") {
    const name: unknown = GgufFileType[fileType];
    if (typeof name === "string") return name.replace(/^(MOSTLY|ALL)_/, "");
  }
  let dominant: GgmlType | undefined;
  let most = -1;
  for (const [type, elements] of elementsByType) {
    if (elements > most) {
      dominant = type;
      most = elements;
    }
  }
  const typeName: unknown = dominant === undefined ? undefined : GgmlType[dominant];
  return typeof typeName === "string" ? typeName : "unknown";
}

function describeBytes(bytes: Buffer): string {
  const printable = [...bytes].every((byte) => byte >= 0x20 && byte < 0x7f);
  return printable ? JSON.stringify(bytes.toString("latin1")) : `bytes ${bytes.toString("hex")}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
