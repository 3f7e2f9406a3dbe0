/**
 * Every placement the README lists, planned as a user would try it: the stack file
 * of each workload, in dev and in prod, with nothing changed but
 * `multicloud:clouds`. Each must plan with no mandatory violation, leave no policy
 * blind, and, in prod, keep its stateful resources protected and its shared
 * storage backed up on every cloud it is placed on.
 */
import * as path from "node:path";
import { planStack, warmRunners, type PlanRun, type PolicySession } from "../tools/plan/plan";
import { defaultPlacement, placementsOf } from "../policies/stack/placement";
import { isStateful } from "../policies/catalog/stateful";
import { estimateCost } from "../tools/plan/cost";
import { policySession } from "./helpers/policy";

const root = path.resolve(__dirname, "..");

/** The resource that backs up shared storage, per cloud. */
const backupTypes: Record<string, string> = {
    aws: "aws:efs/backupPolicy:BackupPolicy",
    gcp: "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
    alicloud: "alicloud:hbr/policyBinding:PolicyBinding",
    onprem: "kubernetes:velero.io/v1:Schedule",
};

const cases = Object.keys(defaultPlacement).flatMap((workload) =>
    (["dev", "prod"] as const).flatMap((environment) =>
        placementsOf(workload).map((clouds) => ({ stack: `${workload}-${environment}`, environment, clouds })),
    ),
);

let session: PolicySession;
const runs = new Map<string, PlanRun | Error>();
const key = (stack: string, clouds: string[]) => `${stack} on ${clouds.join("+")}`;

beforeAll(async () => {
    warmRunners.keepWarm();
    session = await policySession();
    for (const { stack, clouds } of cases) {
        try {
            runs.set(key(stack, clouds), await planStack({ cwd: root, stack, values: { "multicloud:clouds": JSON.stringify(clouds) } }, session));
        } catch (e) {
            runs.set(key(stack, clouds), e as Error);
        }
    }
}, 600_000);

afterAll(async () => {
    await session?.stop();
});

const planned = (stack: string, clouds: string[]): PlanRun => {
    const run = runs.get(key(stack, clouds));
    if (run instanceof Error) throw new Error(`${key(stack, clouds)} did not plan: ${run.message}`);
    return run!;
};

test("every workload has at least one placement, and the partner workload only the private cloud", () => {
    expect(placementsOf("partner")).toEqual([["onprem"]]);
    for (const workload of Object.keys(defaultPlacement)) expect(placementsOf(workload).length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [key(c.stack, c.clouds), c] as const))("%s", (_name, { stack, environment, clouds }) => {
    test("plans with no mandatory violation and no policy blind at preview", () => {
        const { plan } = planned(stack, clouds);
        expect(plan.resources.length).toBeGreaterThan(0);
        const blocking = plan.violations.filter((v) => v.enforcementLevel === "mandatory" || v.message.includes("can't run policy"));
        expect(blocking.map((v) => `${v.policy}: ${v.urn.split("::").pop()}: ${v.message.slice(0, 160)}`)).toEqual([]);
    });

    test("builds on every placed cloud and on no other", () => {
        const { plan } = planned(stack, clouds);
        const providers = new Set(plan.resources.filter((r) => r.custom).map((r) => r.type.split(":")[0]));
        const expected = clouds.map((cloud) => (cloud === "onprem" ? "kubernetes" : cloud));
        for (const provider of expected) expect(providers).toContain(provider);
        for (const other of (["aws", "gcp", "alicloud"] as const).filter((c) => !clouds.includes(c))) expect(providers).not.toContain(other);
    });

    test("has a monthly cost estimate that prices every resource", () => {
        const cost = estimateCost(planned(stack, clouds).plan.resources);
        expect(cost.unpriced).toEqual([]);
        if (!clouds.includes("onprem")) expect(cost.monthlyUsd).toBeGreaterThan(0);
    });

    if (environment === "prod") {
        test("keeps every stateful resource protected and the shared storage backed up on each cloud", () => {
            const { plan } = planned(stack, clouds);
            const unprotected = plan.resources.filter((r) => r.custom && isStateful(r.type) && !r.protect).map((r) => `${r.type} ${r.name}`);
            expect(unprotected).toEqual([]);
            for (const cloud of clouds) expect(plan.resources.map((r) => r.type)).toContain(backupTypes[cloud]);
        });
    }
});
