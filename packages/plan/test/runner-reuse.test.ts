/**
 * One runner for every program of `--all`: each stack planned in it must come out as
 * if planned alone, in a runner of its own.
 *
 * Runners are counted where they start (`fork` of runner.ts). `warmRunners.keepWarm()`
 * holds for the rest of the process once `planStacks` calls it, so the plans of stacks
 * alone are made first.
 */
import type { ChildProcess } from "node:child_process";
// The module itself, not a copy of its exports: the spy must replace the `fork` that run-program.ts calls.
import childProcess from "node:child_process";
import * as path from "node:path";
import { planStack, planStacks, warmRunners, type PlanRun } from "../src/plan";

const cwd = path.resolve(__dirname, "fixtures/runner-reuse");
const stacks = ["gamma", "alpha", "beta"];

let fork: jest.SpiedFunction<typeof childProcess.fork>;
/** Every runner process started since the spy was set, oldest first. */
const runners = (): ChildProcess[] =>
    fork.mock.calls.flatMap((call, i) => (String(call[0]).endsWith(`${path.sep}runner.ts`) ? [fork.mock.results[i].value as ChildProcess] : []));
const ended = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** What a stack's plan says, apart from how long it took. */
const planned = (run: PlanRun) => ({ resources: run.plan.resources, outputs: run.plan.outputs, config: run.plan.config });

const alone = new Map<string, ReturnType<typeof planned>>();
let runnersAlone: ChildProcess[] = [];

beforeAll(async () => {
    fork = jest.spyOn(childProcess, "fork");
    const plans = await Promise.all(stacks.map((stack) => planStack({ cwd, stack }, undefined)));
    stacks.forEach((stack, i) => alone.set(stack, planned(plans[i])));
    runnersAlone = runners();
}, 180_000);

afterAll(async () => {
    await warmRunners.stop();
    fork.mockRestore();
});

test("planned alone, each stack has a runner of its own, which ends with its program", () => {
    expect(runnersAlone.map((r) => r.exitCode)).toEqual(stacks.map(() => 0));
    // The stacks differ, so equal plans below are not equal by accident.
    expect(alone.get("alpha")!.outputs).toEqual({ owner: "alpha-team", stacks: ["alpha"] });
    expect(alone.get("gamma")!.outputs).toEqual({ owner: "gamma-team", stacks: ["gamma"], costCentre: "cc-42" });
    const expiry = alone.get("beta")!.resources.find((r) => r.name === "logs-expiry")!;
    expect(expiry.inputs.rules).toEqual([expect.objectContaining({ id: "expire", expiration: expect.objectContaining({ days: 30 }) })]);
});

test("planned together, one runner runs every program and each stack's plan is the one it has alone", async () => {
    const before = runners().length;
    const runs = await planStacks({ cwd, stacks }, undefined);
    expect(runners().length - before).toBe(1);
    expect(runs.map((run) => run.plan.stack)).toEqual(stacks);
    for (const run of runs) {
        // A module kept from the program before would list that program's stack too.
        expect(run.plan.outputs.stacks).toEqual([run.plan.stack]);
        expect(planned(run)).toEqual(alone.get(run.plan.stack));
    }
    // It waits for the next program.
    expect(ended(runners().at(-1)!)).toBe(false);
}, 180_000);

test("a program that throws ends its runner: the next stack starts a fresh one and plans as if alone", async () => {
    await warmRunners.stop();
    const before = runners().length;
    await expect(planStacks({ cwd, stacks: ["alpha", "broken"] }, undefined)).rejects.toThrow(
        `The program of stack broken failed at ${path.relative(process.cwd(), path.join(cwd, "index.ts"))}:16: stack broken was told to fail`,
    );
    // One runner ran alpha then broken and ended; one more ran broken alone to locate the error.
    const [shared, located] = runners().slice(before);
    expect(runners().length - before).toBe(2);
    expect(shared.exitCode).toBe(0);
    expect(located.exitCode).toBe(0);

    const runs = await planStacks({ cwd, stacks: ["beta", "gamma"] }, undefined);
    expect(runners().length - before).toBe(3);
    expect(runs.map(planned)).toEqual([alone.get("beta"), alone.get("gamma")]);
}, 180_000);

test("a waiting runner killed meanwhile (out of memory, by hand) is not taken: the next program gets a fresh one", async () => {
    await planStacks({ cwd, stacks: ["alpha", "beta"] }, undefined);
    const waiting = runners().at(-1)!;
    const killed = new Promise((resolve) => waiting.once("exit", resolve));
    waiting.kill("SIGKILL");
    await killed;
    const before = runners().length;
    const runs = await planStacks({ cwd, stacks: ["gamma", "alpha"] }, undefined);
    expect(runners().length - before).toBe(1);
    expect(runs.map(planned)).toEqual([alone.get("gamma"), alone.get("alpha")]);
}, 180_000);

test("an ES module program never stays: each of its stacks has a runner of its own, which ends with it", async () => {
    await warmRunners.stop();
    const before = runners().length;
    const runs = await planStacks({ cwd: path.resolve(__dirname, "fixtures/esm-program"), stacks: ["dev", "frankfurt"] }, undefined);
    expect(runs.map((run) => run.plan.stack)).toEqual(["dev", "frankfurt"]);
    const started = runners().slice(before);
    expect(started.map((r) => r.exitCode)).toEqual([0, 0]);
}, 180_000);

test("stop ends the waiting runner and returns once it has exited", async () => {
    await planStacks({ cwd, stacks: ["alpha", "beta"] }, undefined);
    const waiting = runners().at(-1)!;
    expect(ended(waiting)).toBe(false);
    expect(() => process.kill(waiting.pid!, 0)).not.toThrow();

    await warmRunners.stop();
    expect(waiting.signalCode).toBe("SIGTERM");
    expect(() => process.kill(waiting.pid!, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(
        runners()
            .filter((r) => !ended(r))
            .map((r) => r.pid),
    ).toEqual([]);
}, 180_000);

test("stop ends a waiting runner whose program caught SIGTERM: it is killed after the grace period", async () => {
    await warmRunners.stop();
    await planStacks({ cwd, stacks: ["alpha", "deaf"] }, undefined);
    const waiting = runners().at(-1)!;
    expect(ended(waiting)).toBe(false);
    await warmRunners.stop();
    expect(waiting.signalCode).toBe("SIGKILL");
    expect(
        runners()
            .filter((r) => !ended(r))
            .map((r) => r.pid),
    ).toEqual([]);
}, 180_000);
