/** Runs the plan's CLI as a user does, in a child process; returns the exit code and output. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { planCommand } from "./plan-command";

export { planCommand };

export const root = path.resolve(__dirname, "../..");
export const fixture = (name: string) => path.join(root, "test/fixtures", name);

export function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [...planCommand, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code: number }).code) : 0, stdout, stderr }),
        );
    });
}
