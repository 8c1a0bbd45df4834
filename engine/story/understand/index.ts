export { understand, intentMessages, type Understanding, type UnderstandContext, type UnderstandSource } from "./understand.js";
export { INTENT_VERBS, INTENT_SCHEMA, IntentAnswer, type IntentVerb } from "./intent.js";
