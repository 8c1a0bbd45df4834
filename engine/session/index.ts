export { GameSession, SessionError, type SessionEvent, type SessionListener, type SessionOptions, type SubmitOutcome } from "./session.js";
export { replaySave, type ReplayOptions, type ReplayReport } from "./replay.js";
export { ReplayDivergence, ReplayRunner, type RequestDivergence } from "./replay-runner.js";
export { diffRequests, diffStates, formatDivergence, lineDiff, type Divergence, type RequestProblem, type StateChange } from "./divergence.js";
export { TurnSummary, TurnAction, UnparsedInput } from "./turn-record.js";
