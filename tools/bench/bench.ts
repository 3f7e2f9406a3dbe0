/**
 * `npm run bench`: how fast the offline plan is on this machine, measured side by
 * side in one run as ratios against floors, each with its goal, written into
 * BENCHMARKS.md. Numbers are reported, never asserted: no test fails on time.
 *
 *   npm run bench                      # everything (about fifteen minutes on 2 cores)
 *   npm run bench -- --quick           # one repetition, small sizes: a smoke run
 *
 * Every figure is a whole process, timed by GNU time (wall, user + system CPU, peak
 * memory of the largest process), the way a reviewer waits for it.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { spawnPack } from "pulumi-offline-plan";
import { planCommand, planNodeOptions } from "../../test/helpers/plan-command";

const root = path.resolve(__dirname, "../..");
const queuesDir = path.join(__dirname, "queues");
/** `npm run plan`'s own command, without npm's start. */
const plan = planCommand;

interface Run {
    wallS: number;
    cpuS: number;
    maxRssMb: number;
    code: number;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fixed = (x: number, digits = 2) => x.toFixed(digits);

/** One whole process under GNU time. */
function timed(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        execFile(
            "/usr/bin/time",
            ["-f", "BENCH %e %U %S %M", process.execPath, ...args],
            { cwd: root, env: { ...process.env, ...env }, maxBuffer: 512 * 1024 * 1024 },
            (err, _stdout, stderr) => {
                const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
                if (!m) return reject(new Error(`no timing for ${args.join(" ")}: ${stderr.slice(-2000)}`));
                resolve({
                    wallS: Number(m[1]),
                    cpuS: Number(m[2]) + Number(m[3]),
                    maxRssMb: Number(m[4]) / 1024,
                    code: err ? Number((err as { code?: number | string }).code ?? 1) : 0,
                });
            },
        );
    });
}

/** A command's medians, and its runs in the order of the rounds. */
interface Measured extends Run {
    runs: Run[];
}

/**
 * The median of the ratios of two commands' runs taken in the same round: a drift of
 * the machine's speed (other work on it) moves both runs of a pair alike.
 */
const pairedRatio = (a: Measured, b: Measured, field: "wallS" | "cpuS") => median(a.runs.map((run, i) => run[field] / b.runs[i][field]));

/** Medians of `reps` runs, run in turn with the others of the same round so drift hits all alike. */
async function rounds(reps: number, commands: Record<string, () => Promise<Run>>): Promise<Record<string, Measured>> {
    const all: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < reps; i++) for (const [name, run] of Object.entries(commands)) all[name].push(await run());
    return Object.fromEntries(
        Object.entries(all).map(([name, runs]) => [
            name,
            {
                wallS: median(runs.map((r) => r.wallS)),
                cpuS: median(runs.map((r) => r.cpuS)),
                maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
                code: runs[0].code,
                runs,
            },
        ]),
    );
}

/** The CPU a process has used so far, from /proc (user + system, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `run-policy-pack` started as the plan starts it, until it prints its port: the floor of any plan with a pack. */
async function packStartup(): Promise<Run> {
    const started = performance.now();
    const child = await spawnPack(path.join(root, "policies"), ["ignore", "pipe", "inherit"]);
    return new Promise((resolve, reject) => {
        child.once("exit", (code) => reject(new Error(`run-policy-pack exited (${code}) before serving`)));
        child.stdout!.once("data", () => {
            const run = { wallS: (performance.now() - started) / 1000, cpuS: cpuSecondsOf(child.pid!), maxRssMb: 0, code: 0 };
            child.removeAllListeners("exit");
            child.once("exit", () => resolve(run));
            child.kill();
        });
    });
}

/** `--watch` on transactional-prod: seconds from touching a program file to the next plan's end, `count` times. */
async function watchReplans(count: number): Promise<number[]> {
    const child = spawn(process.execPath, [...plan, "--stack", "transactional-prod", "--watch"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const plans = () => (stderr.match(/^watch: planned /gm) ?? []).length;
    child.stderr.on("data", (d) => (stderr += String(d)));
    const until = async (n: number) => {
        while (plans() < n) {
            if (child.exitCode !== null) throw new Error(`the watch ended: ${stderr.slice(-2000)}`);
            await new Promise((r) => setTimeout(r, 5));
        }
    };
    await until(1);
    const seconds: number[] = [];
    const touched = path.join(root, "stacks", "index.ts");
    for (let i = 0; i < count; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const started = performance.now();
        const now = new Date();
        fs.utimesSync(touched, now, now);
        await until(i + 2);
        seconds.push((performance.now() - started) / 1000);
    }
    const ended = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    await ended;
    return seconds;
}

const loadSdks = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "@pulumi/alicloud", "@pulumi/kubernetes", "@pulumi/policy"];

function queuesStack(queues: number): string {
    fs.writeFileSync(path.join(queuesDir, "Pulumi.bench.yaml"), `config:\n  queues:queues: ${queues}\n`);
    return "bench";
}

async function main() {
    const options = new Command("bench")
        .option("--quick", "one repetition and small sizes")
        .option("--out <file>", "report file", path.join(root, "BENCHMARKS.md"))
        .parse()
        .opts<{ quick?: boolean; out: string }>();
    const reps = options.quick ? 1 : 5;
    const log = (s: string) => process.stderr.write(`${s}\n`);
    // A first plan compiles the pack once; the measured runs start from that, as a reviewer's second push does.
    await timed([...plan, "--stack", "transactional-dev"]);

    log("one stack, cold, against the floor; every stack");
    const single = await rounds(reps, {
        floor: () => timed(["-e", `for (const m of ${JSON.stringify(loadSdks)}) require(m)`]),
        plan: () => timed([...plan, "--stack", "transactional-prod"]),
        packFromSource: () => timed([...plan, "--stack", "transactional-prod"], { OFFLINE_PLAN_PACK_CACHE: "off" }),
        all: () => timed([...plan, "--all"]),
    });

    log("the pack's own start");
    const packStart = await packStartup();
    log("watch: a change planned again");
    const watch = await watchReplans(options.quick ? 3 : 7);

    log("many resources: the plan against the SDK's own mock runtime");
    const sizes = options.quick ? [100, 500, 2500] : [100, 500, 2500, 25000];
    const growthReps = options.quick ? 1 : 3;
    const growth: { resources: number; sdk?: Measured; sdkTsx?: Measured; plan: Measured }[] = [];
    for (const queues of sizes) {
        const stack = queuesStack(queues);
        const sdkArgs = [path.join(__dirname, "sdk-mocks.ts"), queuesDir, "queues", String(queues)];
        const whole = () => timed([...plan, "--cwd", queuesDir, "--stack", stack, "--policy-pack", path.join(root, "policies")]);
        if (queues > 2500) {
            growth.push({ resources: queues * 2, plan: (await rounds(1, { plan: whole })).plan });
            continue;
        }
        // The baseline loads TypeScript as the plan does; under tsx (source maps on) for comparison too.
        // Medians of three in turn: the growth per resource is a difference of two of these.
        const measured = await rounds(growthReps, {
            sdk: () => timed([...planNodeOptions, ...sdkArgs]),
            sdkTsx: () => timed(["--import", "tsx", ...sdkArgs]),
            plan: whole,
        });
        growth.push({ resources: queues * 2, sdk: measured.sdk, sdkTsx: measured.sdkTsx, plan: measured.plan });
    }
    fs.rmSync(path.join(queuesDir, "Pulumi.bench.yaml"), { force: true });

    const ratio = (a: number, b: number) => `${fixed(a / b)}x`;
    const verdict = (value: number, goal: number) => (value <= goal ? "met" : "not met");
    const perResource = (g: (typeof growth)[number]) => ((g.plan.wallS - growth[0].plan.wallS) / (g.resources - growth[0].resources)) * 1000;
    const largest = growth[growth.length - 1];
    const oneK = growth.find((g) => g.resources === 1000);
    const lines = [
        `Measured by \`npm run bench\`${options.quick ? " --quick" : ""} on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${fixed(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}. Whole processes under GNU time; medians of ${reps} runs taken in turn, and a ratio of two commands is the median of the ratios of their runs in the same round; CPU is user + system of the process tree.`,
        "",
        "| what | measured | ratio | goal | |",
        "| --- | --- | --- | --- | --- |",
        `| floor: a Node process that loads @pulumi/pulumi, aws, gcp, alicloud, kubernetes and @pulumi/policy | ${fixed(single.floor.wallS)} s wall, ${fixed(single.floor.cpuS)} s CPU | | | |`,
        `| \`npm run plan -- --stack transactional-prod\`, cold process, wall | ${fixed(single.plan.wallS)} s (exit ${single.plan.code}) | ${fixed(pairedRatio(single.plan, single.floor, "wallS"))}x the floor | 1.5x | ${verdict(pairedRatio(single.plan, single.floor, "wallS"), 1.5)} |`,
        `| the same, CPU | ${fixed(single.plan.cpuS)} s | ${fixed(pairedRatio(single.plan, single.floor, "cpuS"))}x the floor | 1.5x | ${verdict(pairedRatio(single.plan, single.floor, "cpuS"), 1.5)} |`,
        `| the same with the pack type-checked at start, as \`run-policy-pack\` does unaided (after a change to the pack) | ${fixed(single.packFromSource.wallS)} s wall, ${fixed(single.packFromSource.cpuS)} s CPU | ${ratio(single.packFromSource.wallS, single.floor.wallS)} the floor | | |`,
        `| the pack's own start: \`run-policy-pack\` until it serves, from its compiled copy | ${fixed(packStart.wallS)} s wall, ${fixed(packStart.cpuS)} s CPU | ${ratio(packStart.cpuS, single.floor.cpuS)} the floor's CPU | | |`,
        `| \`npm run plan -- --all\` (eight stacks) | ${fixed(single.all.wallS)} s wall, ${fixed(single.all.cpuS)} s CPU (exit ${single.all.code}) | ${fixed(pairedRatio(single.all, single.plan, "wallS"))}x one stack | 2x | ${verdict(pairedRatio(single.all, single.plan, "wallS"), 2)} |`,
        `| \`--watch\`: from a change to \`stacks/index.ts\` to transactional-prod planned again (median of ${watch.length}) | ${fixed(median(watch))} s | ${ratio(single.plan.wallS, median(watch))} faster than a cold plan | 3x | ${verdict(3, single.plan.wallS / median(watch))} |`,
        ...growth.map(
            (g) =>
                `| ${g.resources.toLocaleString("en")} resources (SQS queues with a queue policy each): the whole plan, pack included${g.sdk && growthReps > 1 ? ` (medians of ${growthReps})` : ""} | ${fixed(g.plan.wallS)} s, ${fixed(g.plan.maxRssMb, 0)} MiB peak (exit ${g.plan.code}) | ${g.sdk ? `${fixed(pairedRatio(g.plan, g.sdk, "wallS"))}x the SDK's own mock runtime alone (${fixed(g.sdk.wallS)} s, ${fixed(g.sdk.maxRssMb, 0)} MiB)${g.sdkTsx ? `; ${fixed(pairedRatio(g.plan, g.sdkTsx, "wallS"))}x the same under tsx (${fixed(g.sdkTsx.wallS)} s)` : ""}` : ""} | ${g.resources === 5000 ? "0.5x" : g.resources === 50000 ? "< 3 GiB" : ""} | ${g.resources === 5000 && g.sdk ? verdict(pairedRatio(g.plan, g.sdk, "wallS"), 0.5) : g.resources === 50000 ? verdict(g.plan.maxRssMb, 3072) : ""} |`,
        ),
        oneK && largest !== oneK
            ? `| time per added resource beyond the ${growth[0].resources}-resource program: at ${largest.resources.toLocaleString("en")} against at 1,000 | ${fixed(perResource(largest), 3)} ms against ${fixed(perResource(oneK), 3)} ms | ${ratio(perResource(largest), perResource(oneK))} | within 20 % | ${verdict(Math.abs(perResource(largest) / perResource(oneK) - 1), 0.2)} |`
            : "",
        "",
    ];
    const measured = lines.filter((l, i, every) => !(l === "" && every[i - 1] === "")).join("\n");
    // The measured part is replaced; what is written around the markers (how the numbers were reached) stays.
    const [start, end] = ["<!-- bench:start -->", "<!-- bench:end -->"];
    const previous = fs.existsSync(options.out) ? fs.readFileSync(options.out, "utf8") : "";
    const i = previous.indexOf(start);
    const j = previous.indexOf(end);
    const report =
        i >= 0 && j > i ? `${previous.slice(0, i + start.length)}\n${measured}\n${previous.slice(j)}` : `# Benchmarks\n\n${start}\n${measured}\n${end}\n`;
    fs.writeFileSync(options.out, report);
    log(`wrote ${options.out}`);
}

main().catch((err) => {
    process.stderr.write(`bench failed: ${(err as Error).message}\n`);
    process.exit(1);
});
