/**
 * Runs the package's command as a project runs it, in a child process, from the
 * package's directory, with the facts of the tests' clouds (fixtures/plan.config.ts).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

/** The package's directory. */
export const root = path.resolve(__dirname, "../..");
export const fixturesDir = path.join(root, "test", "fixtures");
export const fixture = (name: string) => path.join(fixturesDir, name);

/** Node's arguments that run the command: its bin, which loads the plan's TypeScript itself. */
export const planCommand: string[] = [path.join(root, "bin", "pulumi-offline-plan.cjs")];

/** The environment the command runs in: the tests' facts. */
export const planEnv = { ...process.env, OFFLINE_PLAN_CONFIG: path.join(fixturesDir, "plan.config.ts") };

export function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [...planCommand, ...args], { cwd: root, env: planEnv, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code: number }).code) : 0, stdout, stderr }),
        );
    });
}
