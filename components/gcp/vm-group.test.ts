import { useMockRuntime } from "../../test/helpers/pulumi";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { VmGroup, type VmGroupArgs } from "./vm-group";

const run = useMockRuntime();

const args = (changes: Partial<VmGroupArgs> = {}): VmGroupArgs => ({
    environment: "dev",
    region: "europe-west1",
    network: { networkId: "net", subnetworkId: "sub", zones: ["europe-west1-b", "europe-west1-c"] },
    imageId: "projects/p/global/images/worker-1",
    instanceType: "e2-standard-2",
    minSize: 1,
    desiredSize: 2,
    maxSize: 4,
    cpuTargetPercent: 70,
    port: 8080,
    healthCheckPath: "/healthz",
    ...changes,
});

test("instance template: Shielded VM, OS Login, no external address, a dedicated service account", async () => {
    new VmGroup("v1", args());
    const template = await run.one("gcp:compute/instanceTemplate:InstanceTemplate", "v1");
    expect(template.plain.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
    expect(template.plain.metadata["enable-oslogin"]).toBe("TRUE");
    expect(template.plain.networkInterfaces[0].accessConfigs).toBeUndefined();
    const account = await run.one("gcp:serviceaccount/account:Account", "v1");
    expect(account.plain.accountId).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(template.plain.serviceAccount.scopes).toEqual(["https://www.googleapis.com/auth/cloud-platform"]);
});

const mig = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("proactive updates keep capacity: no instance unavailable, one surge per zone, health-gated", async () => {
        new VmGroup(`vroll-${environment}`, args({ environment }));
        const group = await run.one(mig, `vroll-${environment}`);
        expect(group.plain.updatePolicy).toEqual({
            type: "PROACTIVE",
            minimalAction: "REPLACE",
            replacementMethod: "SUBSTITUTE",
            instanceRedistributionType: "PROACTIVE",
            maxSurgeFixed: 2,
            maxUnavailableFixed: 0,
            minReadySec: 60,
        });
        expect(group.plain.autoHealingPolicies.healthCheck).toBeDefined();
    });

    test("`pulumi up` waits until every instance runs the new template, for at most 30 minutes", async () => {
        const options = registeredOptions();
        new VmGroup(`vwait-${environment}`, args({ environment }), { transformations: options.transformations });
        const group = await run.one(mig, `vwait-${environment}`);
        expect(group.plain).toMatchObject({ waitForInstances: true, waitForInstancesStatus: "UPDATED" });
        expect(options.of(mig, `vwait-${environment}-mig`).customTimeouts).toEqual({ create: "30m", update: "30m" });
    });

    test("the rollout target is the group manager's name in the project and region given", async () => {
        const group = new VmGroup(`vtarget-${environment}`, args({ environment, project: "shop" }));
        const manager = await run.one(mig, `vtarget-${environment}`);
        const { target, sources } = await probeRollout(run, `vtarget-${environment}`, group.rollout);
        expect(target).toEqual({ kind: "gcp-region-instance-group-manager", project: "shop", region: "europe-west1", name: `vtarget-${environment}-mig` });
        expect(sources).toEqual([manager.urn]);
    });
});

test("the autoscaler owns the size and holds the CPU target", async () => {
    new VmGroup("v2", args());
    expect((await run.one(mig, "v2")).options.ignoreChanges).toContain("targetSize");
    const autoscaler = await run.one("gcp:compute/regionAutoscaler:RegionAutoscaler", "v2");
    expect(autoscaler.plain.autoscalingPolicy.cpuUtilization.target).toBeCloseTo(0.7);
});

test("health checks reach the serving port only from Google's ranges, logged", async () => {
    new VmGroup("v3", args());
    const firewall = await run.one("gcp:compute/firewall:Firewall", "v3");
    expect(firewall.plain.sourceRanges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    expect(firewall.plain.allows).toEqual([{ protocol: "tcp", ports: ["8080"] }]);
    expect(firewall.plain.logConfig).toBeDefined();
});

test("mounts the shared file system and may read its secrets", async () => {
    new VmGroup("v4", args({ nfsMount: { host: "10.0.0.2", share: "shared" }, secretIds: ["projects/p/secrets/s"] }));
    const template = await run.one("gcp:compute/instanceTemplate:InstanceTemplate", "v4");
    expect(template.plain.metadataStartupScript).toContain("10.0.0.2:/shared /mnt/shared nfs");
    const grant = await run.one("gcp:secretmanager/secretIamMember:SecretIamMember", "v4");
    expect(grant.plain).toMatchObject({ secretId: "projects/p/secrets/s", role: "roles/secretmanager.secretAccessor" });
});

test("without a port there is no health check and no firewall opening", async () => {
    new VmGroup("v5", args({ port: undefined, healthCheckPath: undefined }));
    expect(await run.ofType("gcp:compute/firewall:Firewall", "v5")).toHaveLength(0);
    expect(await run.ofType("gcp:compute/healthCheck:HealthCheck", "v5")).toHaveLength(0);
});

test("validates sizes with the shared contract check", () => {
    expect(() => new VmGroup("bad", args({ minSize: 5 }))).toThrow("VmGroup: `minSize` (5) must not be above `maxSize` (4).");
});

test("rejects an empty machine type", () => {
    expect(() => new VmGroup("bad", args({ instanceType: "" }))).toThrow(
        "VmGroup: `instanceType` must name a machine type (e.g. e2-standard-2), got an empty string.",
    );
});

test("rejects a health-check path without a port", () => {
    expect(() => new VmGroup("bad", args({ port: undefined }))).toThrow("VmGroup: `healthCheckPath` needs `port`, the port the instances serve it on.");
});

test("a campaign becomes a scaling schedule: a cron with the year, in the campaign's time zone, lasting to the end", async () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T06:30", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 3 };
    // Across the end of summer time: the window is 25 hours long, not 24.
    const autumn = { name: "autumn", start: "2026-10-24T12:00", end: "2026-10-25T12:00", timeZone: "Europe/Amsterdam", minCapacity: 2 };
    new VmGroup("vsched", args({ schedules: [blackFriday, autumn] }));
    const [bf, au] = (await run.one("gcp:compute/regionAutoscaler:RegionAutoscaler", "vsched")).plain.autoscalingPolicy.scalingSchedules;
    expect(bf).toMatchObject({ name: "black-friday", schedule: "30 6 27 11 * 2026", timeZone: "Europe/Amsterdam", minRequiredReplicas: 3 });
    expect(bf.durationSec).toBe((3 * 24 + 17) * 3600 + 29 * 60);
    expect(au).toMatchObject({ schedule: "0 12 24 10 * 2026", durationSec: 25 * 3600, minRequiredReplicas: 2 });
});

test("inside a campaign window nothing Pulumi declares has moved: the schedule lives in the autoscaler's policy and only the group's size, the autoscaler's, grows", async () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T06:30", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 3 };
    new VmGroup("vcamp", args({ schedules: [blackFriday] }));
    const group = await run.one("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "vcamp");
    expect(changesAfterRefresh(group, { ...group.plain, targetSize: 3 })).toEqual([]);
    const autoscaler = await run.one("gcp:compute/regionAutoscaler:RegionAutoscaler", "vcamp");
    expect(autoscaler.plain.autoscalingPolicy.minReplicas).toBe(args().minSize);
    expect(autoscaler.options.ignoreChanges).toEqual([]);
});

test("rejects a campaign with an unknown time zone", () => {
    const bad = { name: "sale", start: "2026-11-27T00:00", end: "2026-11-28T00:00", timeZone: "Europe/Atlantis", minCapacity: 2 };
    expect(() => new VmGroup("vbadtz", args({ schedules: [bad] }))).toThrow(
        'VmGroup: `schedules[0].timeZone` must be an IANA time zone such as "Europe/Amsterdam", got "Europe/Atlantis".',
    );
});
