export { GameSession, SessionError, type SessionEvent, type SessionListener, type SubmitOutcome } from "./session.js";
export { TurnSummary, TurnAction, UnparsedInput } from "./turn-record.js";
