export { openDatabase, type DatabaseKind, type Db, type OpenOptions } from "./database.js";
export { STORE_ERROR_KINDS, StoreError, type StoreErrorKind } from "./errors.js";
export { stateHash, storedForm } from "./hash.js";
export { JsonValue } from "./json-value.js";
export { SAVE_KIND } from "./save-schema.js";
export {
  ModelCall,
  SaveFile,
  type SaveHeader,
  type SaveInit,
  type RecordedTurn,
  type SaveMeta,
  type StateAtTurn,
  type StoredTurn,
  type TurnRecord,
} from "./save-file.js";
export { SaveStore, saveNameProblem, type SaveSummary } from "./save-store.js";
export { defaultSavesDir } from "./paths.js";
