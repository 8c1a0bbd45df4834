export { inspectGguf, GgufFileError, type GgufSummary, type GgufProblemKind } from "./gguf-info.js";
export { scanModels, watchModels, defaultModelsDir, type ModelFileInfo, type ModelsChange, type WatchModelsOptions } from "./models-folder.js";
export { Catalog, CatalogEntry, CatalogError, loadCatalog, defaultCatalogPath } from "./catalog.js";
export { pullModel, PullError, sha256File, sourceUrl, type PullErrorKind, type PullOptions, type PullProgress, type PullResult } from "./download.js";
export { CatalogDownloads, type CatalogDownloadsOptions, type CatalogModelState, type CatalogModelStatus, type DownloadOutcome, type DownloadProgress } from "./catalog-downloads.js";
export { threadsFor } from "./threads.js";
