import { startAgentServer, type AgentServer } from "../../examples/agent-server/src/server.js";
import { authenticateTestToken, createDeferred, createEmitLog, createReceiveLog, runClient, tokenFor, type ClientResult } from "./helpers.js";

const CONNECTIONS = 1_000;
const RUNS_PER_CONNECTION = 50;
const EVENTS_PER_RUN = 2; // 50 x 2 = 100 events per connection, 100 000 in all; and 51 client messages (auth + 50 start_run) per connection
const EVENTS_PER_CONNECTION = RUNS_PER_CONNECTION * EVENTS_PER_RUN;
/**
 * Clients connect in bursts of this many: the next burst starts once this one's handshakes are done.
 * One process runs the server and all clients; 1 000 connects at once can overflow the listen
 * backlog on a loaded machine (or a kernel whose somaxconn is 128), and the kernel then resets
 * connections (close 1006, ECONNRESET) the server never saw. All stay open until the last completes.
 */
const CONNECT_BURST = 100;

describe(`${CONNECTIONS} concurrent connections x ${EVENTS_PER_CONNECTION} events, random readiness delays`, () => {
  let server: AgentServer;
  const log = createEmitLog();
  const inbound = createReceiveLog();
  let results: ClientResult[] = [];
  let openAtOnce = 0;

  beforeAll(async () => {
    server = await startAgentServer({
      authenticate: authenticateTestToken,
      readyDelayMs: [0, 200], // the default initServices: a random awaited delay per connection
      onEmit: log.onEmit,
      onReceive: inbound.onReceive,
    });
    // Every client sends auth and its 50 start_run requests in the open tick, then stays open until
    // all have completed, so the 1 000 connections are open at the same time. Even clients emit the
    // requests through their endpoint (queued there until the server's `authenticated`); odd ones
    // send them raw right behind auth, and the server's endpoint holds them until it authenticated.
    const allCompleted = createDeferred();
    let completed = 0;
    const onCompleted = () => {
      completed += 1;
      if (completed === CONNECTIONS) {
        openAtOnce = server.connections;
        allCompleted.resolve();
      }
    };
    const giveUp = setTimeout(() => allCompleted.resolve(), 100_000);
    const runs = Array.from({ length: RUNS_PER_CONNECTION }, (_, r) => ({ run_id: `run-${r}`, events: EVENTS_PER_RUN }));
    const clients: Promise<ClientResult>[] = [];
    for (let first = 0; first < CONNECTIONS; first += CONNECT_BURST) {
      const handshakes: Promise<unknown>[] = [];
      for (let i = first; i < Math.min(first + CONNECT_BURST, CONNECTIONS); i++) {
        const opened = createDeferred();
        const client = runClient(server.url, {
          token: tokenFor(i),
          runs,
          rawRuns: i % 2 === 1,
          onOpen: () => opened.resolve(),
          onCompleted,
          holdOpen: allCompleted.promise,
          timeoutMs: 110_000,
        });
        clients.push(client);
        handshakes.push(Promise.race([opened.promise, client])); // open, or closed without opening
      }
      await Promise.all(handshakes);
    }
    results = await Promise.all(clients);
    clearTimeout(giveUp);
  }, 120_000);
  afterAll(() => server?.close());

  it("were open at the same time", () => {
    expect(openAtOnce).toBe(CONNECTIONS);
  });

  it("lost nothing and reordered nothing: each client received exactly what its agents emitted, in emit order", () => {
    const mismatched = results.flatMap((result, i) => {
      const emitted = log.byUser.get(`user-${i}`) ?? [];
      const same =
        result.texts.length === EVENTS_PER_CONNECTION && emitted.length === EVENTS_PER_CONNECTION && result.texts.every((text, k) => text === emitted[k]);
      return same
        ? []
        : [
            `client ${i}: received ${result.texts.length}, emitted ${emitted.length}, close ${result.closeCode}${result.timedOut ? " (timed out)" : ""}${result.error === undefined ? "" : `, error: ${result.error}`}`,
          ];
    });
    expect(mismatched).toEqual([]);
    expect(results.reduce((sum, r) => sum + r.texts.length, 0)).toBe(CONNECTIONS * EVENTS_PER_CONNECTION);
  });

  it("lost nothing and reordered nothing client to server: the server delivered exactly what each client sent, in send order", () => {
    const mismatched = results.flatMap((result, i) => {
      const sent = result.sent.map((text) => JSON.parse(text) as unknown);
      const delivered = (inbound.byUser.get(`user-${i}`) ?? []).map((text) => JSON.parse(text) as unknown);
      const same = sent.length === RUNS_PER_CONNECTION + 1 && JSON.stringify(sent) === JSON.stringify(delivered);
      return same ? [] : [`client ${i}: sent ${sent.length}, delivered ${delivered.length}`];
    });
    expect(mismatched).toEqual([]);
    expect(server.stats.received).toBe(CONNECTIONS * (RUNS_PER_CONNECTION + 1));
    // Both client paths were exercised: requests the server's endpoint held until authentication, and requests the client's endpoint queued.
    expect(server.stats.held).toBeGreaterThan(0);
    expect(server.stats.held).toBeLessThan(CONNECTIONS * RUNS_PER_CONNECTION);
  });

  it("every message valid, every run complete and passing the generated run monitor", () => {
    const bad = results.flatMap((r, i) =>
      r.invalid.length > 0 || r.violations.length > 0 || !r.authenticated || r.completedRuns !== RUNS_PER_CONNECTION || r.closeCode !== 1000
        ? [
            {
              client: i,
              invalid: r.invalid.slice(0, 2),
              violations: r.violations.slice(0, 2),
              completedRuns: r.completedRuns,
              closeCode: r.closeCode,
              error: r.error,
            },
          ]
        : [],
    );
    expect(bad).toEqual([]);
  });

  it("zero server errors (no send before accept, no lifecycle or contract error), nothing undelivered", () => {
    const { stats } = server;
    expect(stats.errors).toEqual([]);
    expect(stats).toMatchObject({
      accepted: CONNECTIONS,
      authenticated: CONNECTIONS,
      ready: CONNECTIONS,
      emitted: CONNECTIONS * EVENTS_PER_CONNECTION,
      undelivered: 0,
      heldDropped: 0,
      protocolErrors: {},
    });
    expect(stats.runsCompleted).toBe(CONNECTIONS * RUNS_PER_CONNECTION);
    // Both paths were exercised: events held back before readiness, and events sent at once after it.
    expect(stats.queued).toBeGreaterThan(0);
    expect(stats.sentAtOnce).toBeGreaterThan(0);
  });
});
