import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "./index";
import { closedPort, fakeClock } from "./fixtures/recorded-server";

/** A server that answers each request with the next status of `statuses` (the last repeats), or never answers when `statuses` is empty. */
async function serve(statuses: number[]): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
    let hits = 0;
    const server = http.createServer((req, res) => {
        hits++;
        if (statuses.length === 0) return;
        const status = statuses[Math.min(hits - 1, statuses.length - 1)];
        res.writeHead(status, status >= 300 && status < 400 ? { location: "https://login.example.com/" } : { "content-type": "text/plain" });
        res.end(status < 300 ? "ok" : "not ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`,
        hits: () => hits,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

async function check(url: string, options: Parameters<typeof verify>[1]) {
    const outcome = await verify({ rollouts: [], healthChecks: [{ name: "api", url }] }, options);
    return { ...outcome, result: outcome.results[0] };
}

test("a URL that answers 200 is healthy at the first request", async () => {
    const server = await serve([200]);
    try {
        const { ok, result } = await check(server.url, fakeClock());
        expect(ok).toBe(true);
        expect(result).toEqual({ target: "health api", ok: true, state: "healthy", detail: `${server.url}: HTTP 200` });
        expect(server.hits()).toBe(1);
    } finally {
        await server.close();
    }
});

test("a redirect is healthy and not followed", async () => {
    const server = await serve([302]);
    try {
        const { result } = await check(server.url, fakeClock());
        expect(result).toMatchObject({ ok: true, state: "healthy", detail: `${server.url}: HTTP 302` });
    } finally {
        await server.close();
    }
});

test("a URL that answers 500 is retried, then unhealthy", async () => {
    const server = await serve([500]);
    const clock = fakeClock();
    try {
        const { ok, result } = await check(server.url, { ...clock, pollSeconds: 5 });
        expect(ok).toBe(false);
        expect(result).toEqual({ target: "health api", ok: false, state: "unhealthy", detail: `${server.url}: HTTP 500 (3 attempts)` });
        expect(server.hits()).toBe(3);
        expect(clock.slept).toEqual([5000, 5000]);
    } finally {
        await server.close();
    }
});

test("a URL that fails once and then answers 200 is healthy", async () => {
    const server = await serve([503, 200]);
    try {
        const { result } = await check(server.url, { ...fakeClock(), pollSeconds: 5 });
        expect(result).toMatchObject({ ok: true, state: "healthy", detail: `${server.url}: HTTP 200` });
        expect(server.hits()).toBe(2);
    } finally {
        await server.close();
    }
});

test("a URL that never answers is unhealthy within the timeout", async () => {
    const server = await serve([]);
    const started = Date.now();
    try {
        const { ok, result } = await check(server.url, { timeoutSeconds: 1, pollSeconds: 0.5 });
        const elapsed = Date.now() - started;
        expect(ok).toBe(false);
        expect(result).toMatchObject({ state: "unhealthy", detail: `${server.url}: no answer within 1s (1 attempt)` });
        expect(elapsed).toBeGreaterThanOrEqual(900);
        expect(elapsed).toBeLessThan(2500);
    } finally {
        await server.close();
    }
});

test("a refused connection is unhealthy, with the reason", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/healthz`;
    const { result } = await check(url, { ...fakeClock(), pollSeconds: 1 });
    expect(result.state).toBe("unhealthy");
    expect(result.detail).toContain("ECONNREFUSED");
    expect(result.detail).toContain("(3 attempts)");
});

test("retries stop at the deadline", async () => {
    const server = await serve([500]);
    const clock = fakeClock();
    try {
        const { result } = await check(server.url, { ...clock, timeoutSeconds: 8, pollSeconds: 5 });
        expect(result.detail).toBe(`${server.url}: HTTP 500 (2 attempts)`);
        expect(clock.slept).toEqual([5000]);
    } finally {
        await server.close();
    }
});
