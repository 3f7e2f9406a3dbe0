/**
 * The Pulumi CLI as the deploy bot calls it: one process per command, its
 * output captured, never a prompt (`--non-interactive` on every call).
 */
import { spawn } from "node:child_process";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

export type PulumiRunner = (args: string[], options?: { cwd?: string }) => Promise<CliResult>;

/** Runs `pulumi` (or the executable given) in `cwd`; output is echoed to the log as it comes, with a prefix. */
export function pulumiCli(executable: string, defaults: { cwd: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): PulumiRunner {
    return (args, options = {}) =>
        new Promise((resolve) => {
            const full = [...args, "--non-interactive"];
            defaults.log?.(`$ pulumi ${full.join(" ")}`);
            const child = spawn(executable, full, { cwd: options.cwd ?? defaults.cwd, env: defaults.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}${executable}: ${e.message}` }));
            child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
        });
}

/** The last lines of a command's output, for a summary that must stay short. */
export function tail(text: string, lines = 15): string {
    return text.trimEnd().split("\n").slice(-lines).join("\n");
}
