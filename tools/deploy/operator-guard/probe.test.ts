import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { probe } from "./probe";

/** A server on 127.0.0.1 that answers each request with the next status of the list (the last one repeats); 0 never answers. */
async function serve(statuses: number[]) {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
        seen.push(req.url ?? "");
        const status = statuses[Math.min(seen.length - 1, statuses.length - 1)];
        if (status === 0) return; // holds the connection open, answering nothing
        res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not ready");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    return {
        url,
        seen,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

const quick = { timeoutMs: 300, attempts: 1, pauseMs: 0 };
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
});

test("200 is healthy", async () => {
    const server = await serve([200]);
    servers.push(server);
    expect(await probe(server.url, quick)).toEqual({ ok: true, detail: `HTTP 200 from ${server.url}` });
    expect(server.seen).toEqual(["/healthz"]);
});

test("500 is unhealthy, after every attempt", async () => {
    const server = await serve([500]);
    servers.push(server);
    expect(await probe(server.url, { ...quick, attempts: 3 })).toEqual({ ok: false, detail: `HTTP 500 from ${server.url} (3 attempts)` });
    expect(server.seen).toHaveLength(3);
});

test("a server that never answers is unhealthy once the timeout passes", async () => {
    const server = await serve([0]);
    servers.push(server);
    const started = Date.now();
    expect(await probe(server.url, quick)).toEqual({ ok: false, detail: `no answer from ${server.url} within 300 ms` });
    expect(Date.now() - started).toBeLessThan(5000);
});

test("one failed answer followed by a healthy one is healthy", async () => {
    const server = await serve([503, 200]);
    servers.push(server);
    expect((await probe(server.url, { ...quick, attempts: 3 })).ok).toBe(true);
    expect(server.seen).toHaveLength(2);
});

test("a redirect is not healthy: the health URL itself must answer", async () => {
    const server = await serve([302]);
    servers.push(server);
    expect(await probe(server.url, quick)).toMatchObject({ ok: false, detail: `HTTP 302 from ${server.url}` });
});

test("a refused connection is unhealthy and says why", async () => {
    const server = await serve([200]);
    const { url } = server;
    await server.close();
    expect(await probe(url, quick)).toEqual({ ok: false, detail: `${url} unreachable: ECONNREFUSED` });
});
