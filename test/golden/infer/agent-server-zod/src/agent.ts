/**
 * A simulated agent: for one `start_run` request it emits the contract's run,
 * `agent_started (agent_thinking | tool_executing tool_completed)* agent_completed`,
 * through the `emit` it is given (the session's guarded emit). It knows nothing about sockets,
 * lifecycle states or readiness: the guard holds its events back until the connection may carry them.
 */
import type { AgentWebsocketEventName, AgentWebsocketPayloads } from "./generated/agent-websocket.types.js";
import type { StartRunRequest } from "./protocol.js";

export type EmitEvent = <E extends AgentWebsocketEventName>(event: E, payload: AgentWebsocketPayloads[E]) => void;

export interface AgentRunOptions {
  /** Aborted when the connection closes; the run stops before its next event. */
  readonly signal: AbortSignal;
  /** Awaited between two events (think time, tool latency). */
  readonly pause: () => Promise<void>;
  /** Clock for timestamps; tests may pin it. */
  readonly now?: () => number;
}

export const DEFAULT_RUN_EVENTS = 8;

/**
 * Emits `request.events` events (default 8): `agent_started`, then thoughts and tool calls
 * alternating (a thought fills an odd remainder), then `agent_completed`. Resolves true when the
 * run completed, false when `signal` aborted it.
 */
export async function runAgent(request: StartRunRequest, emit: EmitEvent, options: AgentRunOptions): Promise<boolean> {
  const now = options.now ?? Date.now;
  const { run_id, agent_name } = request;
  const started = now();
  const total = request.events ?? DEFAULT_RUN_EVENTS;
  const topic = request.prompt?.trim() || "the request";

  emit("agent_started", { run_id, agent_name, timestamp: started });
  let left = total - 2;
  let step = 0;
  let calls = 0;
  while (left > 0) {
    await options.pause();
    if (options.signal.aborted) return false;
    step += 1;
    if (left >= 2 && step % 2 === 0) {
      calls += 1;
      const call_id = `${run_id}/call-${calls}`;
      const tool_name = "search_docs";
      const callStarted = now();
      emit("tool_executing", { run_id, agent_name, tool_name, call_id, arguments: { query: topic, page: calls }, timestamp: callStarted });
      await options.pause();
      if (options.signal.aborted) return false;
      const finished = now();
      emit("tool_completed", {
        run_id,
        agent_name,
        tool_name,
        call_id,
        status: "success",
        result: { hits: calls * 3, first: `doc-${calls}` },
        duration_ms: Math.max(0, Math.round(finished - callStarted)),
        timestamp: finished,
      });
      left -= 2;
    } else {
      emit("agent_thinking", { run_id, agent_name, thought: `Step ${step}: working on ${topic}.`, step, timestamp: now() });
      left -= 1;
    }
  }
  await options.pause();
  if (options.signal.aborted) return false;
  const ended = now();
  emit("agent_completed", {
    run_id,
    agent_name,
    status: "completed",
    result: `Finished ${topic} in ${step} steps with ${calls} tool calls.`,
    duration_ms: Math.max(0, Math.round(ended - started)),
    timestamp: ended,
  });
  return true;
}
