/**
 * Every placement docs/placement.md lists beyond the stack files' own, planned as a user would try it: the stack file
 * of each workload, in dev and in prod, with nothing changed but
 * `multicloud:clouds`. Each must plan with no mandatory violation, leave no policy
 * blind, and, in prod, keep its stateful resources protected and its shared
 * storage backed up on every cloud it is placed on.
 */
import * as path from "node:path";
import { planStack, warmRunners, type PlanRun, type PolicySession } from "pulumi-offline-plan";
import { defaultPlacement, placementsOf } from "../policies/stack/placement";
import { cloudsWithoutBackup, unprotectedStateful } from "./helpers/prod-safety";
import { estimateCost } from "../plan.config";
import { policySession } from "./helpers/policy";
import { listStacks, loadProject } from "pulumi-offline-plan";
import { stackConfigFor } from "pulumi-offline-plan";

const root = path.resolve(__dirname, "..");

/** The placement each stack file holds, planned with the others by test/stacks.test.ts, is not planned again here. */
const home = (workload: string) => [defaultPlacement[workload][0]];
const cases = Object.keys(defaultPlacement).flatMap((workload) =>
    (["dev", "prod"] as const).flatMap((environment) =>
        placementsOf(workload)
            .filter((clouds) => JSON.stringify(clouds) !== JSON.stringify(home(workload)))
            .map((clouds) => ({ stack: `${workload}-${environment}`, environment, clouds })),
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

test("each stack file places its workload on its home cloud, the placement test/stacks.test.ts plans", () => {
    for (const stack of listStacks(loadProject(root))) {
        const workload = stack.replace(/-(dev|prod)$/, "");
        expect([stack, stackConfigFor(loadProject(root), stack, {}).config["multicloud:clouds"]]).toEqual([stack, JSON.stringify(home(workload))]);
    }
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
        // Above zero wherever a cloud bills by the month; on the private cloud's own hardware it may cost nothing.
        expect(cost.monthlyUsd).toBeGreaterThanOrEqual(clouds.includes("onprem") ? 0 : Number.MIN_VALUE);
    });

    if (environment === "prod") {
        test("keeps every stateful resource protected and the shared storage backed up on each cloud", () => {
            const { plan } = planned(stack, clouds);
            expect(unprotectedStateful(plan)).toEqual([]);
            expect(cloudsWithoutBackup(plan, clouds)).toEqual([]);
        });
    }
});
