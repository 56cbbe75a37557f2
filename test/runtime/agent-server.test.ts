import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket } from "ws";
import type { AgentRunsMessage } from "../../examples/agent-server/src/generated/agent-runs.types.js";
import { CloseCode, startAgentServer, type AgentServer, type SessionInfo } from "../../examples/agent-server/src/server.js";
import { authenticateTestToken, createDeferred, createEmitLog, runClient, tokenFor, waitFor } from "./helpers.js";

describe("a client that sends in the same tick as open", () => {
  let server: AgentServer;
  const log = createEmitLog();

  beforeAll(async () => {
    server = await startAgentServer({
      authenticate: async (token) => {
        await sleep(30); // an async token check: messages behind it wait their turn, none is refused
        return authenticateTestToken(token);
      },
      initServices: () => sleep(150), // readiness well after the client's first frames
      onEmit: log.onEmit,
    });
  });
  afterAll(() => server.close());

  it("loses nothing while the server's readiness is delayed: every event arrives, in emit order, runs complete", async () => {
    const runs = [
      { run_id: "a", events: 20 },
      { run_id: "b", events: 7 },
      { run_id: "c", events: 2 },
    ];
    const result = await runClient(server.url, { token: tokenFor(1), runs });

    expect(result).toMatchObject({ invalid: [], protocolErrors: [], violations: [], completedRuns: 3, closeCode: 1000, timedOut: false });
    expect(result.texts).toHaveLength(29);
    expect(result.texts).toEqual(log.byUser.get("user-1"));
    // Not vacuous: the agents emitted before processing_ready and the guard held those events back.
    expect(server.stats.queued).toBeGreaterThan(0);
    expect(server.stats.errors).toEqual([]);
  });
});

describe("server-side close with events queued", () => {
  it("hands the queued events to onUndelivered, in emit order, and the late start-up does not throw", async () => {
    const release = createDeferred();
    const log = createEmitLog();
    const undelivered: { session: SessionInfo; messages: AgentRunsMessage[] }[] = [];
    const server = await startAgentServer({
      authenticate: authenticateTestToken,
      initServices: () => release.promise, // services never come up before the shutdown
      onEmit: log.onEmit,
      onUndelivered: (session, messages) => undelivered.push({ session, messages }),
    });
    try {
      const client = runClient(server.url, { token: tokenFor(7), runs: [{ run_id: "r1", events: 5 }] });
      await waitFor("5 events emitted", () => (log.byUser.get("user-7")?.length ?? 0) === 5);
      expect(server.stats.sentAtOnce).toBe(0);

      await server.close();
      const result = await client;

      expect(result.closeCode).toBe(CloseCode.goingAway);
      expect(result.texts).toEqual([]);
      expect(undelivered).toHaveLength(1);
      expect(undelivered[0]!.session.user).toBe("user-7");
      expect(undelivered[0]!.messages.map((m) => JSON.stringify(m))).toEqual(log.byUser.get("user-7"));
      expect(undelivered[0]!.messages.map((m) => m.type)).toEqual(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]);
      expect(server.stats.undelivered).toBe(5);

      release.resolve(); // services come up after the close: ignored, not a LifecycleError
      await sleep(20);
      expect(server.stats.errors).toEqual([]);
      expect(server.stats.ready).toBe(0);
    } finally {
      release.resolve();
      await server.close();
    }
  });

  it("also reports the queue of a client that closes before the server is ready", async () => {
    const release = createDeferred();
    const undelivered: AgentRunsMessage[][] = [];
    const server = await startAgentServer({
      authenticate: authenticateTestToken,
      initServices: () => release.promise,
      onUndelivered: (_session, messages) => undelivered.push(messages),
    });
    try {
      const socket = new WebSocket(server.url);
      socket.on("open", () => {
        socket.send(JSON.stringify({ type: "auth", data: { token: tokenFor(2) } }));
        socket.send(JSON.stringify({ type: "start_run", data: { run_id: "gone", agent_name: "a", events: 3 } }));
      });
      await waitFor("3 events emitted", () => server.stats.emitted === 3);
      socket.close(1000, "bye");
      await waitFor("the server saw the close", () => server.stats.closed === 1);
      expect(undelivered.map((list) => list.map((m) => m.type))).toEqual([["agent_started", "agent_thinking", "agent_completed"]]);
      release.resolve();
      await sleep(20);
      expect(server.stats.errors).toEqual([]);
    } finally {
      release.resolve();
      await server.close();
    }
  });
});

describe("a client that closes mid-run", () => {
  it("stops the agent; events emitted while the close was in flight are reported, none throws", async () => {
    const undelivered: AgentRunsMessage[] = [];
    const server = await startAgentServer({
      authenticate: authenticateTestToken,
      initServices: async () => {},
      onUndelivered: (_s, messages) => undelivered.push(...messages),
    });
    try {
      let received = 0;
      const socket = new WebSocket(server.url);
      socket.on("open", () => {
        socket.send(JSON.stringify({ type: "auth", data: { token: tokenFor(5) } }));
        socket.send(JSON.stringify({ type: "start_run", data: { run_id: "long", agent_name: "a", events: 10_000 } }));
      });
      socket.on("message", () => {
        received += 1;
        if (received === 50) socket.close(1000, "enough");
      });
      await waitFor("the server saw the close", () => server.stats.closed === 1);
      await sleep(20); // the agent's next step finds its signal aborted
      const { stats } = server;
      expect(stats.errors).toEqual([]);
      expect(stats.runsCompleted).toBe(0);
      expect(stats.emitted).toBeLessThan(10_000);
      expect(stats.emitted).toBe(stats.sentAtOnce + stats.queued);
      // An event emitted between the client's close frame and the socket's close (usually one) is not
      // lost in ws's closing socket: the guard keeps it and the close hands it to onUndelivered.
      expect(stats.undelivered).toBe(undelivered.length);
      expect(server.connections).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("invalid client input", () => {
  let server: AgentServer;
  const log = createEmitLog();
  const release = createDeferred();
  const bystanders: Promise<Awaited<ReturnType<typeof runClient>>>[] = [];
  const BYSTANDERS = 5;

  beforeAll(async () => {
    server = await startAgentServer({
      authenticate: async (token) => {
        if (token.startsWith("slow-")) await sleep(300);
        if (token.startsWith("slower-")) await sleep(1_000); // longer than authTimeoutMs
        return token.startsWith("slow") ? "slow-user" : authenticateTestToken(token);
      },
      // Bystanders (users 100+) stay short of ready until every bad client has been refused.
      initServices: async ({ user }) => {
        if (Number(user.slice("user-".length)) >= 100) await release.promise;
      },
      authTimeoutMs: 300,
      maxPayload: 1024,
      maxInbox: 50,
      onEmit: log.onEmit,
    });
    for (let i = 0; i < BYSTANDERS; i++) {
      bystanders.push(
        runClient(server.url, {
          token: tokenFor(100 + i),
          runs: [
            { run_id: "x", events: 30 },
            { run_id: "y", events: 12 },
          ],
        }),
      );
    }
    await waitFor("bystanders' events queued", () => server.stats.queued >= BYSTANDERS * 42);
  });
  afterAll(async () => {
    release.resolve();
    await server.close();
  });

  const startRun = (data: object) => JSON.stringify({ type: "start_run", data: { agent_name: "a", ...data } });
  const auth = JSON.stringify({ type: "auth", data: { token: tokenFor(1) } });

  // Every refusal but the last is the generated endpoint's (the contract's inbound rules); a bad token and a reused run_id are the server's.
  it.each([
    { name: "text that is not JSON", frames: ["{oops"], code: 4002, message: /^agent-runs: invalid message: / },
    { name: "a binary frame", frames: [Buffer.from([1, 2, 3])], code: 4002, message: /^agent-runs: invalid message: / },
    { name: "a bad token", frames: [JSON.stringify({ type: "auth", data: { token: "nope" } })], code: 4001, message: /token was rejected/ },
    {
      name: "start_run before auth, and no auth: held, then the auth timeout",
      frames: [startRun({ run_id: "r" })],
      code: 4008,
      message: /state "accepted" lasted longer than 10s \(auth_timeout\)/,
    },
    { name: "an unknown type", frames: [auth, JSON.stringify({ type: "subscribe", data: {} })], code: 4002, message: /^agent-runs: invalid message: / },
    { name: "a numeric run_id", frames: [auth, startRun({ run_id: 5 })], code: 4002, message: /run_id/ },
    { name: "an undeclared field", frames: [auth, startRun({ run_id: "r", priority: 1 })], code: 4002, message: /priority/ },
    { name: "events out of range", frames: [auth, startRun({ run_id: "r", events: 1 })], code: 4002, message: /events/ },
    { name: "a second auth", frames: [auth, auth], code: 4002, message: /"auth" is not allowed in state "authenticating" \(invalid_message\)/ },
    {
      name: "the server's own event from the client",
      frames: [JSON.stringify({ type: "authenticated", data: { user: "me" } })],
      code: 4002,
      message: /"authenticated" is not sent by the client/,
    },
    { name: "a reused run_id", frames: [auth, startRun({ run_id: "r" }), startRun({ run_id: "r" })], code: 4002, message: /run_id "r" was already used/ },
    { name: "no auth in time", frames: [], code: 4008, message: /state "accepted" lasted longer than 10s \(auth_timeout\)/ },
    {
      name: "a token check that takes too long",
      frames: [JSON.stringify({ type: "auth", data: { token: "slower-1" } })],
      code: 4008,
      message: /state "authenticating" lasted longer than 10s \(auth_timeout\)/,
    },
  ])("$name: a protocol_error notice, then close $code", async ({ frames, code, message }) => {
    const result = await runClient(server.url, { token: "", skipAuth: true, frames, timeoutMs: 5_000 });
    expect(result.protocolErrors).toHaveLength(1);
    expect(result.protocolErrors[0]).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(result.closeCode).toBe(code);
    expect(result.closeReason).toBe(result.protocolErrors[0]!.reason);
    expect(result.invalid).toEqual([]);
    expect(result.timedOut).toBe(false);
  });

  it("more start_run requests held before authentication than maxInbox: the endpoint closes 1008 (no notice: not a 4xxx code)", async () => {
    const frames = [JSON.stringify({ type: "auth", data: { token: "slow-1" } }), ...Array.from({ length: 60 }, (_, i) => startRun({ run_id: `r${i}` }))];
    const result = await runClient(server.url, { token: "", skipAuth: true, frames, timeoutMs: 5_000 });
    expect(result.closeCode).toBe(CloseCode.policyViolation);
    expect(result.closeReason).toBe("policy_violation");
    expect(result.protocolErrors).toEqual([]);
  });

  it("a frame over maxPayload: ws closes 1009 (no notice)", async () => {
    const result = await runClient(server.url, { token: "", skipAuth: true, frames: ["x".repeat(2_000)], timeoutMs: 5_000 });
    expect(result.closeCode).toBe(CloseCode.messageTooBig);
    expect(result.protocolErrors).toEqual([]);
  });

  it("an upgrade on another path is refused (404) and counted as a rejected connection", async () => {
    const rejectedBefore = server.stats.rejected;
    const result = await runClient(server.url.replace(/\/agents$/, "/nope"), { token: tokenFor(3), timeoutMs: 5_000 });
    expect(result.error).toMatch(/Unexpected server response: 404/);
    expect(server.stats.rejected).toBe(rejectedBefore + 1);
  });

  it("left the server and the other connections working: bystanders complete every run, new clients are served", async () => {
    expect(server.stats.protocolErrors).toEqual({ 1008: 1, 4001: 1, 4002: 9, 4008: 3 });
    release.resolve();
    const results = await Promise.all(bystanders);
    results.forEach((result, i) => {
      expect(result).toMatchObject({ invalid: [], protocolErrors: [], violations: [], completedRuns: 2, closeCode: 1000, timedOut: false });
      expect(result.texts).toEqual(log.byUser.get(`user-${100 + i}`));
      expect(result.texts).toHaveLength(42);
    });
    const late = await runClient(server.url, { token: tokenFor(4), runs: [{ run_id: "late", events: 10 }] });
    expect(late).toMatchObject({ invalid: [], violations: [], completedRuns: 1, closeCode: 1000 });
    expect(server.stats.errors).toEqual([]);
  });
});
