import { RegionInstanceGroupManagersClient } from "@google-cloud/compute";
import { OAuth2Client } from "google-auth-library";
import { verify, type RolloutTarget } from "./index";
import { closedPort, fakeClock, recordings, startRecordedServer, type RecordedServer } from "./fixtures/recorded-server";

const migPath = /^\/compute\/v1\/projects\/([^/]+)\/regions\/([^/]+)\/instanceGroupManagers\/([^/?]+)(\/listErrors)?/;

let server: RecordedServer;
// Compute's client reads its 12 MB of service descriptions on first use; once per file, before the clocks below run.
beforeAll(async () => {
    const client = localClient(1);
    await client.initialize();
    await client.close();
});
beforeEach(async () => {
    server = await startRecordedServer(recordings("gcp.json"), ({ path }) => {
        const match = migPath.exec(path);
        return match ? `${match[3]}${match[4] ?? ""}` : path;
    });
});
afterEach(() => server.close());

/**
 * The real client over REST against the recorded server, with a token in place
 * of Application Default Credentials. The auth client fetches with Node's own
 * fetch: by default gaxios imports node-fetch dynamically, which Jest's module
 * sandbox cannot do without --experimental-vm-modules.
 */
function localClient(port: number): RegionInstanceGroupManagersClient {
    const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
    authClient.setCredentials({ access_token: "ya29.local-test-token", expiry_date: Date.now() + 3_600_000 });
    return new RegionInstanceGroupManagersClient({ fallback: true, apiEndpoint: "127.0.0.1", port, protocol: "http", authClient });
}

const mig = (name: string): RolloutTarget => ({ kind: "gcp-region-instance-group-manager", project: "analytics-prod", region: "europe-west1", name });

async function verifyOne(name: string, port = server.port, timeoutSeconds = 600) {
    const clock = fakeClock();
    const client = localClient(port);
    try {
        const outcome = await verify(
            { rollouts: [mig(name)], healthChecks: [] },
            { clients: { instanceGroupManagers: () => client }, timeoutSeconds, pollSeconds: 20, ...clock },
        );
        return { ...outcome, result: outcome.results[0], slept: clock.slept };
    } finally {
        await client.close();
    }
}

test("a group still replacing instances is read again until it is stable with its version target reached", async () => {
    const { ok, result, slept } = await verifyOne("batch-rolling");
    expect(result).toMatchObject({ target: "gcp-region-instance-group-manager analytics-prod/europe-west1/batch-rolling", ok: true, state: "succeeded" });
    expect(result.detail).toContain("stable, version target reached, target size 3");
    expect(ok).toBe(true);
    // Two looks in progress (creating/recreating, then verifying only but not yet stable), then stable.
    expect(server.requests.filter((r) => r.key === "batch-rolling")).toHaveLength(3);
    expect(slept).toEqual([20_000, 20_000]);
    const get = server.requests.find((r) => r.key === "batch-rolling")!;
    expect(get.method).toBe("GET");
    expect(get.headers.authorization).toBe("Bearer ya29.local-test-token");
});

test("a stable group whose version target is reached succeeds at the first look", async () => {
    const { result, slept } = await verifyOne("batch-stable");
    expect(result).toMatchObject({ ok: true, state: "succeeded" });
    expect(slept).toEqual([]);
    expect(server.requests.map((r) => r.key)).toEqual(["batch-stable"]);
});

test("a group that reports itself stable while still deleting an instance is read again", async () => {
    const { result, slept } = await verifyOne("batch-draining");
    expect(result).toMatchObject({ ok: true, state: "succeeded" });
    expect(slept).toEqual([20_000]);
});

test("a group that never settles fails at the deadline, naming what it still does and its newest instance error", async () => {
    const { ok, result, slept } = await verifyOne("batch-stuck", server.port, 60);
    expect(ok).toBe(false);
    expect(result.state).toBe("in-progress");
    expect(result.detail).toContain("still in progress after 60s");
    expect(result.detail).toContain("not stable, version target not reached, creating 2");
    expect(result.detail).toContain("CREATING QUOTA_EXCEEDED: Quota 'CPUS' exceeded.");
    expect(result.detail).not.toContain("ZONE_RESOURCE_POOL_EXHAUSTED");
    expect(slept).toEqual([20_000, 20_000, 20_000]);
});

test("a group that does not exist fails", async () => {
    const { result } = await verifyOne("batch-missing");
    expect(result).toMatchObject({ ok: false, state: "failed" });
    expect(result.detail).toBe("managed instance group batch-missing not found in analytics-prod/europe-west1");
});

test("a refusal (403) is unreachable with the API's message", async () => {
    const { ok, result } = await verifyOne("batch-forbidden");
    expect(ok).toBe(false);
    expect(result.state).toBe("unreachable");
    expect(result.detail).toContain("Required 'compute.instanceGroupManagers.get' permission");
});

test("an endpoint that refuses connections is unreachable, at once and without the SDK's retries", async () => {
    const started = Date.now();
    const { result, slept } = await verifyOne("batch-stable", await closedPort());
    expect(result.state).toBe("unreachable");
    expect(result.detail).toContain("ECONNREFUSED");
    expect(slept).toEqual([]);
    // The SDK's own retries for a read back off for up to ten minutes.
    expect(Date.now() - started).toBeLessThan(2000);
});

describe("without Application Default Credentials", () => {
    const saved = { ...process.env };
    beforeEach(() => {
        // A credentials file that does not exist stops the lookup before it asks any metadata server.
        process.env.GOOGLE_APPLICATION_CREDENTIALS = "/nonexistent/verify-test-credentials.json";
        process.env.METADATA_SERVER_DETECTION = "none";
    });
    afterEach(() => {
        process.env = { ...saved };
    });

    test("the default client's target is unreachable with the auth library's message, and nothing is left rejecting", async () => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => unhandled.push(reason);
        process.on("unhandledRejection", onUnhandled);
        try {
            const outcome = await verify({ rollouts: [mig("batch-stable")], healthChecks: [] }, fakeClock());
            expect(outcome.ok).toBe(false);
            expect(outcome.results[0].state).toBe("unreachable");
            expect(outcome.results[0].detail).toMatch(/^no Google Cloud credentials \(Application Default Credentials\): .*ENOENT/);
            await new Promise((resolve) => setTimeout(resolve, 50));
            expect(unhandled).toEqual([]);
        } finally {
            process.off("unhandledRejection", onUnhandled);
        }
        expect(server.requests).toEqual([]);
    });
});
