export { judgeTurn, stepWithJudgement, judgeMessages, NO_VERDICT, VERDICT_SCHEMA, type Judgement, type JudgeContext } from "./judge.js";
