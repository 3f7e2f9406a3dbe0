/**
 * Ending a child of the plan: by SIGTERM when it listens, by SIGKILL when it does not
 * end within the grace period.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { endProcess } from "../../src/runtime/end-process";

/** A child that says it is ready, then runs until ended; with `deaf` it catches SIGTERM and goes on. */
async function child(deaf: boolean): Promise<ChildProcess> {
    const script = `${deaf ? 'process.on("SIGTERM", () => console.log("caught"));' : ""} console.log("ready"); setInterval(() => {}, 60_000);`;
    const started = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => started.stdout.on("data", (d) => String(d).includes("ready") && resolve()));
    return started;
}

test("a child that ends on SIGTERM is ended by it", async () => {
    const running = await child(false);
    await endProcess(running, 60_000);
    expect(running.signalCode).toBe("SIGTERM");
});

test("a child that catches SIGTERM and goes on is killed once the grace period is over", async () => {
    const running = await child(true);
    let printed = "";
    running.stdout!.on("data", (d) => (printed += String(d)));
    await endProcess(running, 200);
    expect(printed).toContain("caught");
    expect(running.signalCode).toBe("SIGKILL");
});

test("a child that has already ended is left as it is", async () => {
    const done = spawn(process.execPath, ["-e", "process.exit(3)"], { stdio: "ignore" });
    await new Promise((resolve) => done.once("exit", resolve));
    await endProcess(done);
    expect(done.exitCode).toBe(3);
});
