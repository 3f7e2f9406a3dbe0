/**
 * The guard as the CronJob runs it (`node --import tsx main.ts`), with the real
 * @kubernetes/client-node, against a local server on 127.0.0.1 that plays the
 * Kubernetes API server: it answers the Stack list with objects in the Operator
 * v2 shape (fixtures/stack-list.json) and records every call the guard makes.
 * The workloads' health URLs point at a second local server.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { guardRules } from "./access";

const repoRoot = path.resolve(__dirname, "../../..");
const main = path.join(__dirname, "main.ts");
const good = "1111111111111111111111111111111111111111";
const next = "2222222222222222222222222222222222222222";
const domain = "multicloud.example.com";
const stacksPath = "/apis/pulumi.com/v1/namespaces/pulumi-operator/stacks";

interface Call {
    method: string;
    path: string;
    query: URLSearchParams;
    contentType?: string;
    authorization?: string;
    body?: unknown;
}

/** What the guard sends: JSON Patches to Stack objects, and Events. */
interface PatchOperation {
    op: string;
    path: string;
    value?: unknown;
}
interface SentEvent {
    metadata: { generateName: string };
    involvedObject: { name: string };
    type: string;
    reason: string;
    source?: unknown;
}

async function listen(handler: http.RequestListener) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    };
}

/** The API server: the recorded Stack list, and a PATCH answer per object name (200 by default). */
async function fakeApiServer(stackList: unknown, patchStatus: Record<string, number> = {}) {
    const calls: Call[] = [];
    const failure = (code: number, reason: string, message: string) => ({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code });
    const answerTo = (method: string, pathname: string, body: unknown): [number, unknown] => {
        if (method === "GET" && pathname === stacksPath) return [200, stackList];
        const patched = pathname.startsWith(`${stacksPath}/`) ? pathname.slice(stacksPath.length + 1) : undefined;
        if (method === "PATCH" && patched) {
            const status = patchStatus[patched] ?? 200;
            if (status !== 200) return [status, failure(status, "Invalid", "the server rejected our request due to an error in our request")];
            return [200, (stackList as { items: { metadata: { name: string } }[] }).items.find((i) => i.metadata.name === patched)];
        }
        if (method === "POST" && pathname === "/api/v1/namespaces/pulumi-operator/events") {
            const event = body as SentEvent;
            return [201, { ...event, metadata: { ...event.metadata, name: `${event.metadata.generateName}abcde` } }];
        }
        return [404, failure(404, "NotFound", `${method} ${pathname} is not served here`)];
    };
    const api = await listen((req, res) => {
        let raw = "";
        req.on("data", (chunk) => (raw += chunk));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://127.0.0.1");
            const body = raw ? JSON.parse(raw) : undefined;
            calls.push({
                method: req.method!,
                path: url.pathname,
                query: url.searchParams,
                contentType: req.headers["content-type"],
                authorization: req.headers.authorization,
                body,
            });
            const [status, answer] = answerTo(req.method!, url.pathname, body);
            res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
        });
    });
    return { ...api, calls };
}

function kubeconfigFor(port: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "operator-guard-"));
    const file = path.join(dir, "kubeconfig");
    fs.writeFileSync(
        file,
        [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            // client-node speaks plain HTTP only when told to skip TLS verification.
            `- name: fake\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true`,
            "users:",
            "- name: guard\n  user:\n    token: guard-token",
            "contexts:",
            "- name: fake\n  context:\n    cluster: fake\n    user: guard\n    namespace: pulumi-operator",
            "current-context: fake",
            "",
        ].join("\n"),
    );
    return file;
}

function runGuard(kubeconfig: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfig, GUARD_NAMESPACE: "pulumi-operator", GUARD_ANNOTATION_DOMAIN: domain };
    Object.assign(env, { GUARD_PROBE_TIMEOUT_MS: "1000", GUARD_PROBE_ATTEMPTS: "1", GUARD_PROBE_PAUSE_MS: "0" });
    delete env.KUBERNETES_SERVICE_HOST;
    delete env.KUBERNETES_SERVICE_PORT;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", main], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

function recordedList(healthUrl: string) {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/stack-list.json"), "utf8").replaceAll("HEALTH_URL", healthUrl));
}

const annotation = (name: string) => `/metadata/annotations/${domain}~1${name}`;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function scenario(healthStatus: number, patchStatus: Record<string, number> = {}) {
    const health = await listen((_req, res) => res.writeHead(healthStatus).end());
    const api = await fakeApiServer(recordedList(`http://127.0.0.1:${health.port}/healthz`), patchStatus);
    cleanups.push(health.close, api.close);
    const result = await runGuard(kubeconfigFor(api.port));
    const patches = Object.fromEntries(
        api.calls.filter((c) => c.method === "PATCH").map((c) => [c.path.split("/").pop()!, { ...c, body: c.body as PatchOperation[] }]),
    );
    const events = api.calls.filter((c) => c.method === "POST").map((c) => c.body as SentEvent);
    return { ...result, calls: api.calls, patches, events };
}

test("one pass: records the healthy commit, pins the failed stack, points a drift check at the live commit, reports drift", async () => {
    const run = await scenario(200);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);

    const list = run.calls[0];
    expect([list.method, list.path, list.authorization]).toEqual(["GET", stacksPath, "Bearer guard-token"]);

    for (const call of Object.values(run.patches)) {
        expect(call.contentType).toBe("application/json-patch+json");
        expect(call.query.get("fieldManager")).toBe("multicloud-operator-guard");
    }
    expect(Object.keys(run.patches).sort()).toEqual(["partner-dev", "partner-dev-drift", "partner-prod", "partner-prod-drift"]);

    const dev = run.patches["partner-dev"].body;
    expect(dev[0]).toEqual({ op: "test", path: "/metadata/resourceVersion", value: "918101" });
    expect(dev).toContainEqual({ op: "add", path: annotation("last-good-commit"), value: next });
    expect(dev.some((op) => op.path.startsWith("/spec"))).toBe(false);

    expect(run.patches["partner-dev-drift"].body).toEqual([
        { op: "test", path: "/metadata/resourceVersion", value: "918102" },
        { op: "add", path: "/spec/commit", value: next },
        { op: "add", path: "/spec/branch", value: "" },
    ]);

    const prod = run.patches["partner-prod"].body;
    expect(prod).toEqual(
        expect.arrayContaining([
            { op: "test", path: "/metadata/resourceVersion", value: "918103" },
            { op: "add", path: "/spec/commit", value: good },
            { op: "add", path: "/spec/branch", value: "" },
            { op: "add", path: annotation("pinned-commit"), value: good },
        ]),
    );
    expect(prod.find((op) => op.path === annotation("pinned-reason"))?.value).toMatch(/^the update of 333333333333 failed: error: 1 error occurred:/);

    expect(run.events.map((e) => [e.involvedObject.name, e.type, e.reason])).toEqual([
        ["partner-dev", "Normal", "RecordedGood"],
        ["partner-prod", "Warning", "Pinned"],
        ["partner-prod", "Warning", "Drift"],
    ]);
    const drift = run.events[2];
    expect(drift.involvedObject).toMatchObject({
        apiVersion: "pulumi.com/v1",
        kind: "Stack",
        namespace: "pulumi-operator",
        uid: "0b9c7c3e-2f1d-4c59-9a51-5d3f7f1d2a03",
    });
    expect(drift.source).toEqual({ component: "multicloud-operator-guard" });
    expect(run.stdout).toMatch(/^drift: partner-prod: the refresh and preview of 111111111111 found changes made outside Pulumi$/m);
    expect(run.stdout).toContain("checked 4 Stack object(s) in pulumi-operator");
}, 60_000);

test("an unhealthy workload pins the stack; a patch refused because the object changed is left to the next run", async () => {
    const run = await scenario(500, { "partner-prod": 422 });
    expect(run.code).toBe(0);
    expect(run.patches["partner-dev"].body).toContainEqual({ op: "add", path: "/spec/commit", value: good });
    expect(run.patches["partner-dev"].body.find((op) => op.path === annotation("pinned-reason"))?.value).toMatch(
        /^222222222222 is unhealthy: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/healthz$/,
    );
    expect(run.stdout).toContain("partner-prod: changed while the guard read it; the next run decides again");
    expect(run.events.map((e) => e.involvedObject.name)).not.toContain("partner-prod-drift");
    expect(run.events.filter((e) => e.reason === "Pinned").map((e) => e.involvedObject.name)).toEqual(["partner-dev"]);
}, 60_000);

test("every call the guard makes is one its Role grants", async () => {
    const run = await scenario(500);
    const verbOf = (c: Call) => ({ GET: "list", PATCH: "patch", POST: "create" })[c.method as "GET" | "PATCH" | "POST"];
    const kindOf = (c: Call) =>
        c.path.startsWith("/apis/pulumi.com/") ? { group: "pulumi.com", resource: "stacks" } : { group: "", resource: c.path.split("/")[5] };
    const used = [...new Set(run.calls.map((c) => `${kindOf(c).group}/${kindOf(c).resource}:${verbOf(c)}`))].sort();
    const granted = guardRules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res}:${v}`))));
    expect(used).toEqual(["/events:create", "pulumi.com/stacks:list", "pulumi.com/stacks:patch"]);
    expect(granted.sort()).toEqual(used);
}, 60_000);

test("an API server that refuses the list fails the run, so the Job shows it", async () => {
    const api = await listen((_req, res) =>
        res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", status: "Failure", reason: "Forbidden", code: 403 })),
    );
    cleanups.push(api.close);
    const run = await runGuard(kubeconfigFor(api.port));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/operator guard: .*403/);
}, 60_000);
