export {
  generateContent, CONTENT_COMPLEXITY, CONTENT_JSON_SCHEMAS,
  type ContentContext, type ContentOutcome, type ContentSource,
} from "./generator.js";
export { fallbackProposal, fallbackCount } from "./fallback.js";
