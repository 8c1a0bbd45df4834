export {
  startWebHost, defaultRendererDir, CONTENT_SECURITY_POLICY, HOST, MAX_MESSAGE_BYTES, TOKEN_COOKIE, TOKEN_HEADER,
  type WebHost, type WebHostOptions,
} from "./server.js";
export { findStatic, type StaticAnswer } from "./static-files.js";
