import { essApiVersion, essClient, essEndpoint } from "./alicloud";
import { verify, type RolloutTarget } from "./index";
import { closedPort, fakeClock, recordings, startRecordedServer, type RecordedServer } from "./fixtures/recorded-server";

const credentials = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: "STS.NTest4AccessKeyId",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: "test-secret",
    ALIBABA_CLOUD_SECURITY_TOKEN: "CAIS-test-token",
};

let server: RecordedServer;
beforeEach(async () => {
    // pop-core posts the action and its parameters as a form: the recording is chosen by action and scaling group.
    server = await startRecordedServer(recordings("alicloud.json"), ({ body }) => {
        const form = new URLSearchParams(body);
        return `${form.get("Action")}:${form.get("ScalingGroupId") ?? form.get("ScalingGroupIds.1")}`;
    });
});
afterEach(() => server.close());

const group = (scalingGroupId: string): RolloutTarget => ({ kind: "alicloud-scaling-group", region: "cn-hangzhou", scalingGroupId });

async function verifyOne(scalingGroupId: string, endpoint = server.origin, timeoutSeconds = 600) {
    const clock = fakeClock();
    const regions: string[] = [];
    const outcome = await verify(
        { rollouts: [group(scalingGroupId)], healthChecks: [] },
        {
            clients: {
                ess: (region) => {
                    regions.push(region);
                    return essClient(region, credentials, 5000, endpoint);
                },
            },
            timeoutSeconds,
            pollSeconds: 30,
            ...clock,
        },
    );
    return { ...outcome, result: outcome.results[0], slept: clock.slept, regions };
}

test("a group in the middle of a refresh and a scale-out is read again until both succeed and capacity is in service", async () => {
    const { ok, result, slept, regions } = await verifyOne("asg-rolling");
    expect(ok).toBe(true);
    expect(result).toMatchObject({ target: "alicloud-scaling-group cn-hangzhou/asg-rolling", state: "succeeded" });
    expect(result.detail).toContain("instance refresh ir-bp1c9djwrgxjyk31**** Successful (3 of 3 updated)");
    expect(result.detail).toContain("3 of 3 desired instances in service");
    expect(slept).toEqual([30_000]);
    expect(regions).toEqual(["cn-hangzhou"]);
    // Every call is a signed POST of the 2022-02-22 API for the target's region.
    const form = new URLSearchParams(server.requests[0].body);
    expect(server.requests[0].method).toBe("POST");
    expect(form.get("Version")).toBe(essApiVersion);
    expect(form.get("RegionId")).toBe("cn-hangzhou");
    expect(form.get("AccessKeyId")).toBe("STS.NTest4AccessKeyId");
    expect(form.get("SecurityToken")).toBe("CAIS-test-token");
    expect(form.get("Signature")).toBeTruthy();
    expect(server.requests.map((r) => r.key)).toEqual([
        "DescribeScalingGroups:asg-rolling",
        "DescribeInstanceRefreshes:asg-rolling",
        "DescribeScalingActivities:asg-rolling",
        "DescribeScalingGroups:asg-rolling",
        "DescribeInstanceRefreshes:asg-rolling",
        "DescribeScalingActivities:asg-rolling",
    ]);
});

test("a group without an instance refresh whose newest activity succeeded and whose capacity is in service succeeds at once", async () => {
    const { result, slept } = await verifyOne("asg-stable");
    expect(result).toMatchObject({ ok: true, state: "succeeded" });
    expect(result.detail).toBe('scaling activity asa-bp161xudmuxdzofe**** Successful: "1" ECS instances are added; 3 of 3 desired instances in service');
    expect(slept).toEqual([]);
});

test("a refresh that rolled back is rolled-back, with its reason", async () => {
    const { ok, result } = await verifyOne("asg-rolledback");
    expect(ok).toBe(false);
    expect(result.state).toBe("rolled-back");
    expect(result.detail).toContain("RollbackSuccessful");
    expect(result.detail).toContain("instances failed the health check");
});

test("a failed newest scaling activity fails, even though an older one succeeded", async () => {
    const { ok, result } = await verifyOne("asg-failed");
    expect(ok).toBe(false);
    expect(result.state).toBe("failed");
    expect(result.detail).toContain("scaling activity asa-bp161xudmuxdzofe**** Failed: The specified instance type is out of stock");
});

test("a partly successful (Warning) newest activity fails", async () => {
    const { result } = await verifyOne("asg-warning");
    expect(result).toMatchObject({ ok: false, state: "failed" });
    expect(result.detail).toContain('Warning: "1" ECS instances are added, "1" ECS instances failed to be added.');
});

test("a group that does not exist fails", async () => {
    const { result } = await verifyOne("asg-missing");
    expect(result).toEqual({
        target: "alicloud-scaling-group cn-hangzhou/asg-missing",
        ok: false,
        state: "failed",
        detail: "scaling group asg-missing not found in cn-hangzhou",
    });
});

test("a refusal (Forbidden.RAM) is unreachable with the API's message", async () => {
    const { ok, result } = await verifyOne("asg-forbidden");
    expect(ok).toBe(false);
    expect(result.state).toBe("unreachable");
    expect(result.detail).toContain("User not authorized to operate on the specified resource");
});

test("an endpoint that refuses connections is unreachable", async () => {
    const { result, slept } = await verifyOne("asg-stable", `http://127.0.0.1:${await closedPort()}`);
    expect(result.state).toBe("unreachable");
    expect(result.detail).toContain("ECONNREFUSED");
    expect(slept).toEqual([]);
});

test("without credentials in the environment every target is unreachable, saying which variables to set", async () => {
    const clock = fakeClock();
    const outcome = await verify(
        { rollouts: [group("asg-stable"), { kind: "alicloud-scaling-group", region: "ap-southeast-1", scalingGroupId: "asg-stable" }], healthChecks: [] },
        { clients: { ess: (region) => essClient(region, {}, 5000, server.origin) }, ...clock },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.results.map((r) => r.state)).toEqual(["unreachable", "unreachable"]);
    expect(outcome.results[0].detail).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID");
    expect(server.requests).toEqual([]);
});

test("the Pulumi provider's variable names are read too", async () => {
    const client = essClient("cn-hangzhou", { ALICLOUD_ACCESS_KEY: "LTAI-provider-key", ALICLOUD_SECRET_KEY: "provider-secret" }, 5000, server.origin);
    await client.request("DescribeScalingGroups", { RegionId: "cn-hangzhou", ScalingGroupIds: ["asg-stable"] }, { method: "POST" });
    const form = new URLSearchParams(server.requests[0].body);
    expect(form.get("AccessKeyId")).toBe("LTAI-provider-key");
    expect(form.get("SecurityToken")).toBeNull();
});

test("regions the central endpoint serves use it; the others their own", () => {
    expect(essEndpoint("cn-hangzhou")).toBe("https://ess.aliyuncs.com");
    expect(essEndpoint("eu-central-1")).toBe("https://ess.eu-central-1.aliyuncs.com");
});
