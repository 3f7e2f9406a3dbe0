/**
 * Every stack of the project, planned as CI plans it: all together (a stack that
 * references another reads its planned outputs) and judged by the project's
 * policy pack. Planned once per Jest run, by the first test file that asks, in
 * whichever worker; the others read what it wrote to the run's directory
 * (STACK_PLANS_DIR, made by test/global-setup.ts). Outside a run that has one,
 * a test file plans them itself.
 *
 *   const runs = await stackPlans();
 *   runs.get("backend-prod")!.plan.violations;
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { listStacks, loadProject, planStacks, type PlanRun } from "pulumi-offline-plan";
import { policySession } from "./policy";

const projectRoot = path.resolve(__dirname, "../..");

async function planEveryStack(): Promise<Map<string, PlanRun>> {
    const stacks = listStacks(loadProject(projectRoot));
    const session = await policySession();
    try {
        const runs = await planStacks({ cwd: projectRoot, stacks }, session);
        return new Map(runs.map((run) => [run.plan.stack, run]));
    } finally {
        await session.stop();
    }
}

/** Where a run keeps this project's plans: the plans, the planner's error, and its claim (its pid). */
export function sharedPlanFiles(dir: string) {
    const key = createHash("sha256").update(projectRoot).digest("hex").slice(0, 16);
    return { result: path.join(dir, `${key}.plans`), failure: path.join(dir, `${key}.error`), claim: path.join(dir, `${key}.planner`) };
}

const isRunning = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

/**
 * Plans as JSON holds them (what a plan's JSON output holds too), parsed in the test file's own realm: the file
 * that planned them reads the same as the others, and Jest compares them as its own objects.
 */
const readPlans = (text: string) => new Map(JSON.parse(text) as [string, PlanRun][]);

/** Plans and writes them when this file is the first to ask; else waits for the file that is planning them. */
export async function sharedPlans(dir: string): Promise<Map<string, PlanRun>> {
    const { result, failure, claim } = sharedPlanFiles(dir);
    let claimed = false;
    try {
        fs.writeFileSync(claim, String(process.pid), { flag: "wx" });
        claimed = true;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    if (claimed) {
        try {
            const text = JSON.stringify([...(await planEveryStack())]);
            // Written whole under another name, then renamed: a reader never sees half of it.
            fs.writeFileSync(`${result}.${process.pid}`, text);
            fs.renameSync(`${result}.${process.pid}`, result);
            return readPlans(text);
        } catch (e) {
            fs.writeFileSync(failure, e instanceof Error ? (e.stack ?? e.message) : String(e));
            throw e;
        }
    }
    const planner = Number(fs.readFileSync(claim, "utf8"));
    for (;;) {
        if (fs.existsSync(result)) return readPlans(fs.readFileSync(result, "utf8"));
        if (fs.existsSync(failure))
            throw new Error(`planning the project's stacks failed in the test file that planned them:\n${fs.readFileSync(failure, "utf8")}`);
        if (planner && !isRunning(planner)) throw new Error(`the Jest worker planning the project's stacks (pid ${planner}) ended before it wrote them`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

let plans: Promise<Map<string, PlanRun>> | undefined;

/** Every stack's plan, by stack name. */
export function stackPlans(): Promise<Map<string, PlanRun>> {
    const dir = process.env.STACK_PLANS_DIR;
    plans ??= dir ? sharedPlans(dir) : planEveryStack();
    return plans;
}
