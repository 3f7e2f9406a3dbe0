/**
 * How test files share the run's plans (test/helpers/stack-plans.ts): a file that
 * finds another planning them reads what that one wrote, and is told, not left
 * waiting, when it failed or ended without writing.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanRun } from "pulumi-offline-plan";
import { sharedPlanFiles, sharedPlans } from "./stack-plans";

const dirs: string[] = [];
const runDir = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "stack-plans-test-")));
    return dirs[dirs.length - 1];
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const written = new Map([
    ["backend-dev", { plan: { stack: "backend-dev", resources: [] }, wireOutputs: { endpoint: "backend.example" } } as unknown as PlanRun],
]);

test("a file that finds the plans claimed waits for them and reads them whole", async () => {
    const dir = runDir();
    const files = sharedPlanFiles(dir);
    fs.writeFileSync(files.claim, String(process.pid));
    const reading = sharedPlans(dir);
    setTimeout(() => fs.writeFileSync(files.result, JSON.stringify([...written])), 300);
    expect(await reading).toEqual(written);
});

test("the planner's failure reaches the files waiting for it", async () => {
    const dir = runDir();
    const files = sharedPlanFiles(dir);
    fs.writeFileSync(files.claim, String(process.pid));
    fs.writeFileSync(files.failure, "Error: backend-prod: the program threw");
    await expect(sharedPlans(dir)).rejects.toThrow(
        "planning the project's stacks failed in the test file that planned them:\nError: backend-prod: the program threw",
    );
});

test("a planner that ended without writing is reported, not waited for", async () => {
    const dir = runDir();
    const files = sharedPlanFiles(dir);
    const ended = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => ended.on("exit", resolve));
    fs.writeFileSync(files.claim, String(ended.pid));
    await expect(sharedPlans(dir)).rejects.toThrow(`the Jest worker planning the project's stacks (pid ${ended.pid}) ended before it wrote them`);
});
