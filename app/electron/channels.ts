/**
 * The two IPC channels between the preload and the main process. They live in their own module
 * so the preload bundle, which must stay tiny and free of Node, shares the names without pulling
 * in anything else from the main side.
 */
export const CALL_CHANNEL = "taleweave:call";
export const EVENT_CHANNEL = "taleweave:event";
