import { z } from "zod";
import { HostEvent, Response } from "../../engine/api/index.js";

/**
 * What the web host sends on the WebSocket: the answer to one request (a Response with
 * `kind: "response"`), or an event for every connected client. Clients send bare Requests.
 */
export const HostMessage = z.union([
  z.intersection(z.object({ kind: z.literal("response") }), Response),
  z.object({ kind: z.literal("event"), event: HostEvent }),
]);
export type HostMessage = z.infer<typeof HostMessage>;
