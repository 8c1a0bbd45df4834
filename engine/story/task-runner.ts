import type { RouterResult, TaskRequest } from "../llm/index.js";

/**
 * How the story layer asks for a model: the Router in play, a recorder or a replayer around it
 * for saves, or a scripted runner in unit tests. Story code never sees providers or slots.
 */
export interface TaskRunner {
  run(task: TaskRequest): Promise<RouterResult>;
}
