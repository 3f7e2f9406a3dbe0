import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { verify, type RolloutTarget } from "./index";
import { closedPort, fakeClock, recordings, startRecordedServer, type RecordedServer } from "./fixtures/recorded-server";

/**
 * The client is an ES module only, and Jest's module registry cannot load one
 * without --experimental-vm-modules; Node's own loader can (require of an ES
 * module), so the real client is taken from there.
 */
const client = process.getBuiltinModule("node:module").createRequire(__filename)("@kubernetes/client-node") as typeof k8s;

const workloadPath = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/?]+)/;

let server: RecordedServer;
beforeEach(async () => {
    server = await startRecordedServer(recordings("kubernetes.json"), ({ path }) => {
        const match = workloadPath.exec(path);
        return match ? `${match[2]}/${match[1]}/${match[3]}` : path;
    });
});
afterEach(() => server.close());

/** A kubeconfig for the recorded server: plain HTTP, which the client allows only with TLS verification off. */
function apps(server: string): k8s.AppsV1Api {
    const config = new client.KubeConfig();
    config.loadFromOptions({
        clusters: [{ name: "local", server, skipTLSVerify: true }],
        users: [{ name: "verifier", token: "verifier-token" }],
        contexts: [{ name: "local", cluster: "local", user: "verifier" }],
        currentContext: "local",
    });
    return config.makeApiClient(client.AppsV1Api);
}

const deployment = (name: string): RolloutTarget => ({ kind: "kubernetes-deployment", namespace: "partner", name });
const statefulSet = (name: string): RolloutTarget => ({ kind: "kubernetes-statefulset", namespace: "partner", name });

async function verifyOne(target: RolloutTarget, origin = server.origin, timeoutSeconds = 600) {
    const clock = fakeClock();
    const api = apps(origin);
    const outcome = await verify(
        { rollouts: [target], healthChecks: [] },
        { clients: { kubernetes: async () => api }, timeoutSeconds, pollSeconds: 10, ...clock },
    );
    return { ...outcome, result: outcome.results[0], slept: clock.slept };
}

describe("Deployment", () => {
    test("is read again until the controller has seen the new spec and every replica is updated and available", async () => {
        const { ok, result, slept } = await verifyOne(deployment("web-rolling"));
        expect(ok).toBe(true);
        expect(result).toEqual({
            target: "kubernetes-deployment partner/web-rolling",
            ok: true,
            state: "succeeded",
            detail: "3 updated, 3 available, 3 total of 3 desired",
        });
        // Generation not yet observed; 1 of 3 updated; an old replica still terminating; done.
        expect(slept).toEqual([10_000, 10_000, 10_000]);
        expect(server.requests).toHaveLength(4);
        expect(server.requests[0].path).toBe("/apis/apps/v1/namespaces/partner/deployments/web-rolling");
        expect(server.requests[0].headers.authorization).toBe("Bearer verifier-token");
    });

    test("a rolled-out Deployment succeeds at the first look", async () => {
        const { result, slept } = await verifyOne(deployment("web-stable"));
        expect(result).toMatchObject({ ok: true, state: "succeeded" });
        expect(slept).toEqual([]);
    });

    test("a Deployment past its progress deadline fails at once, with the controller's message", async () => {
        const { ok, result, slept } = await verifyOne(deployment("web-stuck"));
        expect(ok).toBe(false);
        expect(result.state).toBe("failed");
        expect(result.detail).toBe('progress deadline exceeded: ReplicaSet "web-stuck-5b7c9d8e6f" has timed out progressing.');
        expect(slept).toEqual([]);
    });

    test("a Deployment that does not exist fails", async () => {
        const { result } = await verifyOne(deployment("web-missing"));
        expect(result).toMatchObject({ ok: false, state: "failed", detail: "Deployment partner/web-missing not found" });
    });

    test("a refusal (403) is unreachable with the API server's message", async () => {
        const { ok, result } = await verifyOne(deployment("web-forbidden"));
        expect(ok).toBe(false);
        expect(result.state).toBe("unreachable");
        expect(result.detail).toBe(
            'HTTP 403 reading partner/web-forbidden: deployments.apps "web-forbidden" is forbidden: User "system:serviceaccount:deploy:verifier" cannot get resource "deployments" in API group "apps" in the namespace "partner"',
        );
    });

    test("an expired or wrong token (401) is unreachable", async () => {
        const { result } = await verifyOne(deployment("web-unauthorized"));
        expect(result).toMatchObject({ ok: false, state: "unreachable", detail: "HTTP 401 reading partner/web-unauthorized: Unauthorized" });
    });

    test("a cluster that refuses connections is unreachable", async () => {
        const { result, slept } = await verifyOne(deployment("web-stable"), `http://127.0.0.1:${await closedPort()}`);
        expect(result.state).toBe("unreachable");
        expect(result.detail).toContain("ECONNREFUSED");
        expect(slept).toEqual([]);
    });

    test("a Deployment still rolling at the deadline fails as in-progress", async () => {
        const { ok, result, slept } = await verifyOne(deployment("web-rolling"), server.origin, 15);
        expect(ok).toBe(false);
        expect(result.state).toBe("in-progress");
        expect(result.detail).toBe("still in progress after 15s: 1 updated, 3 available, 4 total of 3 desired");
        expect(slept).toEqual([10_000]);
    });
});

describe("StatefulSet", () => {
    test("is read again until every pod is ready and on the update revision", async () => {
        const { ok, result, slept } = await verifyOne(statefulSet("ledger-rolling"));
        expect(ok).toBe(true);
        expect(result).toMatchObject({ target: "kubernetes-statefulset partner/ledger-rolling", state: "succeeded" });
        expect(result.detail).toBe("3 updated, 3 ready of 3 desired, revision ledger-rolling-7d4e8a");
        expect(slept).toEqual([10_000]);
    });

    test("a rolled-out StatefulSet succeeds at the first look", async () => {
        const { result } = await verifyOne(statefulSet("ledger-stable"));
        expect(result).toMatchObject({ ok: true, state: "succeeded" });
    });

    test("a partitioned rollout is done when the pods from the partition up are updated", async () => {
        const { result } = await verifyOne(statefulSet("ledger-canary"));
        expect(result).toMatchObject({ ok: true, state: "succeeded", detail: "1 updated, 3 ready of 3 desired, partition 2" });
    });

    test("a StatefulSet that does not exist fails", async () => {
        const { result } = await verifyOne(statefulSet("ledger-missing"));
        expect(result).toMatchObject({ ok: false, state: "failed", detail: "StatefulSet partner/ledger-missing not found" });
    });
});

test("one cluster client serves every workload of a verification", async () => {
    const clock = fakeClock();
    let made = 0;
    const api = apps(server.origin);
    const outcome = await verify(
        { rollouts: [deployment("web-stable"), statefulSet("ledger-stable")], healthChecks: [] },
        {
            clients: {
                kubernetes: async () => {
                    made++;
                    return api;
                },
            },
            ...clock,
        },
    );
    expect(outcome.ok).toBe(true);
    expect(made).toBe(1);
});
