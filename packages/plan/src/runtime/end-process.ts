/**
 * Ends a child process of the plan (a runner, a pack) and waits until it has ended.
 */
import type { ChildProcess } from "node:child_process";

/** How long a child has to end after SIGTERM before it is killed. */
export const endGraceMs = 2_000;

/**
 * Asks the child to end (SIGTERM, which lets a pack write its compile cache), and
 * kills it when it is still running after `graceMs`: a program or a pack may catch
 * SIGTERM, and the plan must not wait for it forever.
 */
export async function endProcess(child: ChildProcess, graceMs = endGraceMs): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill();
    const grace = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(grace);
}
