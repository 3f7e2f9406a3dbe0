/** Runs the plan's CLI as a user does, in a child process; returns the exit code and output. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const root = path.resolve(__dirname, "../..");
export const fixture = (name: string) => path.join(root, "test/fixtures", name);

/** Node's arguments in `npm run plan`, from package.json: the tests run the command users run. */
export const planCommand: string[] = (() => {
    const [node, ...args] = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts.plan as string).split(/\s+/);
    if (node !== "node") throw new Error(`package.json's plan script does not start with node: ${node}`);
    return args.map((a) => (a.startsWith("./") || a.endsWith(".ts") ? path.join(root, a) : a));
})();

export function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [...planCommand, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code: number }).code) : 0, stdout, stderr }),
        );
    });
}
