/**
 * `npm run bench`: how fast the offline plan is on this machine, and how it grows.
 * Measures side by side in one run and writes BENCHMARKS.md. Numbers are reported,
 * never asserted: a test never fails on wall-clock time.
 *
 *   npm run bench                      # everything (several minutes)
 *   npm run bench -- --quick           # fewer repetitions and sizes, for a smoke run
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { planStack, PolicySession } from "../plan/plan";
import { PolicyPackServer } from "../plan/analyzer";
import { listStacks, loadProject } from "../plan/project";
import type { CapturedResource } from "../plan/capture";

const root = path.resolve(__dirname, "../..");
const cliPath = path.join(root, "tools/plan/cli.ts");
const syntheticDir = path.join(__dirname, "synthetic");

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Runs a command; returns wall time and the peak memory of the process tree's largest process (KiB). */
function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<{ ms: number; code: number; maxRssKb?: number }> {
    const useTime = fs.existsSync("/usr/bin/time");
    const [cmd, argv] = useTime ? ["/usr/bin/time", ["-f", "MAXRSS %M", command, ...args]] : [command, args];
    const start = performance.now();
    return new Promise((resolve) => {
        execFile(cmd, argv, { cwd: root, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (err, _stdout, stderr) => {
            const ms = performance.now() - start;
            const rss = /MAXRSS (\d+)/.exec(stderr)?.[1];
            resolve({ ms, code: err ? Number((err as { code?: number }).code ?? 1) : 0, maxRssKb: rss ? Number(rss) : undefined });
        });
    });
}

async function repeat<T>(times: number, f: () => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < times; i++) out.push(await f());
    return out;
}

async function floor(reps: number) {
    const load = await repeat(reps, () =>
        timed(process.execPath, [
            "-e",
            "for (const m of ['@pulumi/pulumi','@pulumi/aws','@pulumi/gcp','@pulumi/alicloud','@pulumi/kubernetes']) require(m)",
        ]),
    );
    const pack = await repeat(reps, async () => {
        const start = performance.now();
        const server = await PolicyPackServer.start(path.join(root, "policies"));
        await server.getAnalyzerInfo();
        const ms = performance.now() - start;
        await server.stop();
        return ms;
    });
    return { loadSdksMs: median(load.map((r) => r.ms)), policyPackMs: median(pack) };
}

async function perStack(reps: number) {
    const stacks = listStacks(loadProject(root));
    const rows: { stack: string; ms: number; code: number; maxRssKb?: number }[] = [];
    for (const stack of stacks) {
        const runs = await repeat(reps, () => timed(process.execPath, ["--import", "tsx", cliPath, "--stack", stack]));
        rows.push({ stack, ms: median(runs.map((r) => r.ms)), code: runs[0].code, maxRssKb: Math.max(...runs.map((r) => r.maxRssKb ?? 0)) || undefined });
    }
    const all = await timed(process.execPath, ["--import", "tsx", cliPath, "--all"]);
    return { rows, allMs: all.ms, allCode: all.code };
}

async function growth(sizes: number[]) {
    const rows: { services: number; resources: number; ms: number; programMs: number; maxRssKb: number }[] = [];
    for (const services of sizes) {
        fs.writeFileSync(path.join(syntheticDir, "Pulumi.bench.yaml"), `config:\n  synthetic:services: ${services}\n`);
        const start = performance.now();
        const run = await planStack({ cwd: syntheticDir, stack: "bench" }, undefined);
        const ms = performance.now() - start;
        rows.push({ services, resources: run.captured.length, ms, programMs: run.stats.programMs, maxRssKb: run.stats.maxRssKb });
    }
    fs.rmSync(path.join(syntheticDir, "Pulumi.bench.yaml"), { force: true });
    return rows;
}

async function analyzerThroughput(count: number) {
    const session = await PolicySession.start([path.join(root, "policies")]);
    const resources: CapturedResource[] = Array.from({ length: count }, (_, i) => ({
        urn: `urn:pulumi:bench::multicloud::aws:ec2/securityGroup:SecurityGroup::sg-${i}`,
        type: "aws:ec2/securityGroup:SecurityGroup",
        name: `sg-${i}`,
        custom: true,
        read: false,
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], aliases: [], dependsOn: [] },
        inputs: {
            description: "bench",
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }],
            tags: { workload: "transactional", environment: "prod", "cost-center": "bench", "managed-by": "pulumi" },
        },
    }));
    const start = performance.now();
    const violations = await session.judge("multicloud", "bench", {}, [], resources);
    const ms = performance.now() - start;
    await session.stop();
    return { count, ms, perSecond: (count / ms) * 1000, violations: violations.length };
}

async function main() {
    const options = new Command("bench").option("--quick", "fewer repetitions and sizes").option("--out <file>", "report file", path.join(root, "BENCHMARKS.md")).parse().opts<{ quick?: boolean; out: string }>();
    const reps = options.quick ? 1 : 5;
    const sizes = options.quick ? [10, 100] : [10, 100, 1000, 5000];
    const log = (s: string) => process.stderr.write(`${s}\n`);

    log("floor: loading the five SDKs, starting the policy pack");
    const f = await floor(reps);
    log("plan of each stack, cold");
    const s = await perStack(reps);
    log("growth: synthetic stacks");
    const g = await growth(sizes);
    log("analyzer throughput");
    const a = await analyzerThroughput(options.quick ? 200 : 2000);

    const sumSeparate = s.rows.reduce((t, r) => t + r.ms, 0);
    const txProd = s.rows.find((r) => r.stack === "transactional-prod");
    // Marginal time per resource: the smallest stack's time is the fixed start (process, SDKs, kit).
    const perResource = g.map((r) => (r === g[0] ? r.programMs / r.resources : (r.programMs - g[0].programMs) / (r.resources - g[0].resources)));
    const lines = [
        `Measured by \`npm run bench\`${options.quick ? " --quick" : ""} on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}. Medians of ${reps} runs unless noted. Wall times include process start.`,
        "",
        "## Floor",
        "",
        "| what | median |",
        "| --- | --- |",
        `| a Node process that loads @pulumi/pulumi, aws, gcp, alicloud and kubernetes | ${seconds(f.loadSdksMs)} s |`,
        `| the policy pack: start (run-policy-pack, ts-node type check) to GetAnalyzerInfo answered | ${seconds(f.policyPackMs)} s |`,
        `| floor (the larger of the two, since the plan runs them side by side) | ${seconds(Math.max(f.loadSdksMs, f.policyPackMs))} s |`,
        "",
        "## The plan of each stack, cold (`npm run plan -- --stack NAME`, policies included)",
        "",
        "| stack | median | exit code | peak memory |",
        "| --- | --- | --- | --- |",
        ...s.rows.map((r) => `| ${r.stack} | ${seconds(r.ms)} s | ${r.code} | ${r.maxRssKb ? `${(r.maxRssKb / 1024).toFixed(0)} MiB` : "n/a"} |`),
        "",
        `\`npm run plan -- --all\` (one run): ${seconds(s.allMs)} s, exit ${s.allCode}; eight separate runs: ${seconds(sumSeparate)} s; saved: ${seconds(sumSeparate - s.allMs)} s (${((1 - s.allMs / sumSeparate) * 100).toFixed(0)} %).`,
        "",
        txProd ? `Ratio of the transactional-prod plan to the floor: ${(txProd.ms / Math.max(f.loadSdksMs, f.policyPackMs)).toFixed(2)}x (goal: 1.5x).` : "",
        "",
        "## Growth (a synthetic stack of N services through the AWS kit's components; program under mocks, no policies)",
        "",
        "| services | resources | wall | program | time per added resource (beyond the smallest stack) | peak memory of the program |",
        "| --- | --- | --- | --- | --- | --- |",
        ...g.map((r, i) => `| ${r.services} | ${r.resources} | ${seconds(r.ms)} s | ${seconds(r.programMs)} s | ${perResource[i].toFixed(2)} ms | ${(r.maxRssKb / 1024).toFixed(0)} MiB |`),
        "",
        g.length > 2 ? `Time per added resource from ${g[1].services} to ${g[g.length - 1].services} services changes by ${(((perResource[perResource.length - 1] - perResource[1]) / perResource[1]) * 100).toFixed(0)} % (goal: within 20 %).` : "",
        "",
        "## Policy analysis",
        "",
        `${a.count} resources through Remediate and Analyze (one request each per resource) and AnalyzeStack: ${seconds(a.ms)} s, ${a.perSecond.toFixed(0)} resources/s.`,
        "",
    ];
    const measured = lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n");
    // The measured part is replaced; what is written around the markers (how the numbers were improved) stays.
    const [start, end] = ["<!-- bench:start -->", "<!-- bench:end -->"];
    const previous = fs.existsSync(options.out) ? fs.readFileSync(options.out, "utf8") : "";
    const i = previous.indexOf(start);
    const j = previous.indexOf(end);
    const report =
        i >= 0 && j > i
            ? `${previous.slice(0, i + start.length)}\n${measured}\n${previous.slice(j)}`
            : `# Benchmarks\n\n${start}\n${measured}\n${end}\n`;
    fs.writeFileSync(options.out, report);
    log(`wrote ${options.out}`);
}

main().catch((err) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
});
