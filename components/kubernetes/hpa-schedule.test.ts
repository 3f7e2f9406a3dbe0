import { usePolicyPack } from "../../test/helpers/policy";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { HpaSchedule, type HpaScheduleArgs } from "./hpa-schedule";

const run = useMockRuntime();
const pack = usePolicyPack({ stack: "partner-prod" });

const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 6 };
const args = (changes: Partial<HpaScheduleArgs> = {}): HpaScheduleArgs => ({
    namespace: "team-prod",
    hpaName: "gateway-hpa",
    minReplicas: 3,
    maxReplicas: 9,
    schedules: [blackFriday],
    now: new Date("2026-11-01T00:00:00Z"),
    ...changes,
});

const byEdge = async (prefix: string) => {
    const jobs = await run.ofType("kubernetes:batch/v1:CronJob", prefix);
    return Object.fromEntries(jobs.map((j) => [j.name.endsWith("-start") ? "start" : "end", j]));
};

test("a campaign becomes a CronJob pair in its time zone that patches the HPA minimum up and back", async () => {
    new HpaSchedule("gw", args());
    const { start, end } = await byEdge("gw");
    expect(start.plain.spec).toMatchObject({ schedule: "0 0 27 11 *", timeZone: "Europe/Amsterdam", suspend: false, concurrencyPolicy: "Forbid" });
    expect(end.plain.spec).toMatchObject({ schedule: "59 23 30 11 *", timeZone: "Europe/Amsterdam" });
    const kubectlArgs = (job: typeof start) => job.plain.spec.jobTemplate.spec.template.spec.containers[0].args;
    expect(kubectlArgs(start)).toEqual([
        "patch",
        "horizontalpodautoscaler",
        "gateway-hpa",
        "--namespace",
        "team-prod",
        "--type=merge",
        "--field-manager=multicloud-campaign",
        '--patch={"spec":{"minReplicas":6}}',
    ]);
    expect(kubectlArgs(end)).toContain('--patch={"spec":{"minReplicas":3}}');
});

test("the jobs' role may only patch the one HPA, and their pods reach only the API server", async () => {
    new HpaSchedule("rbac", args());
    const role = await run.one("kubernetes:rbac.authorization.k8s.io/v1:Role", "rbac");
    expect(role.plain.rules).toEqual([
        { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], resourceNames: ["gateway-hpa"], verbs: ["patch"] },
    ]);
    const egress = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "rbac");
    expect(egress.plain.spec.egress[0].ports.map((p: { port: number }) => p.port)).toEqual([443, 6443]);
});

test("the CronJobs pass the restricted policy pack in prod", async () => {
    new HpaSchedule("pss", args());
    const jobs = await run.ofType("kubernetes:batch/v1:CronJob", "pss");
    const violations = await pack.judge(jobs.map((j) => ({ type: j.type, name: j.name, inputs: j.plain })));
    // The namespace's default-deny policy belongs to the Network component, not judged here.
    const podPolicies = violations.filter((v) => v.policy.startsWith("k8s-") && v.policy !== "k8s-namespace-default-deny");
    expect(podPolicies.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
});

test("a campaign that ended before the deployment gets suspended jobs, since a CronJob recurs every year", async () => {
    new HpaSchedule("over", args({ now: new Date("2026-12-01T00:00:00Z") }));
    const { start, end } = await byEdge("over");
    expect([start.plain.spec.suspend, end.plain.spec.suspend]).toEqual([true, true]);
});

test("long names are shortened to the 52 characters a CronJob allows", async () => {
    new HpaSchedule("a-very-long-component-name-for-the-partner-gateway", args());
    const { start } = await byEdge("a-very-long");
    expect(start.plain.metadata.name.length).toBeLessThanOrEqual(52);
    expect(start.plain.metadata.name).toMatch(/-start$/);
});

test("rejects a kubectl image that is not pinned by digest", () => {
    expect(() => new HpaSchedule("tag", args({ kubectlImage: "registry.k8s.io/kubectl:v1.31.2" }))).toThrow(
        "HpaSchedule: `kubectlImage` must be pinned by digest (name@sha256:<64 hex>), got registry.k8s.io/kubectl:v1.31.2.",
    );
});
