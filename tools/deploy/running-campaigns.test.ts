import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { runningCampaigns } from "./running-campaigns";

const root = path.resolve(__dirname, "../..");
const stacks = fs.mkdtempSync(path.join(os.tmpdir(), "running-campaigns-"));
const campaign = (name: string, start: string, end: string) =>
    `    - name: ${name}\n      start: "${start}"\n      end: "${end}"\n      timeZone: Europe/Amsterdam\n      minCapacity: 9\n`;
fs.writeFileSync(
    path.join(stacks, "Pulumi.shop-prod.yaml"),
    `config:\n  multicloud:workload: transactional\n  multicloud:campaigns:\n${campaign("black-friday-2026", "2026-11-27T00:00", "2026-11-30T23:59")}${campaign("cyber-monday-2026", "2026-12-07T00:00", "2026-12-07T23:59")}`,
);
fs.writeFileSync(path.join(stacks, "Pulumi.shop-dev.yaml"), "config:\n  multicloud:workload: transactional\n");
fs.writeFileSync(path.join(stacks, "Pulumi.broken-prod.yaml"), 'config:\n  multicloud:campaigns:\n    - name: "Not A Name"\n');
fs.writeFileSync(path.join(stacks, "README.md"), "not a stack file\n");

test("inside a campaign's window the stack names it; other stacks, and lists that do not parse, are left out", () => {
    expect(runningCampaigns(stacks, new Date("2026-11-28T12:00:00Z"))).toEqual({
        "shop-prod":
            "campaign `black-friday-2026` is running (to 2026-11-30T23:59 Europe/Amsterdam, minimum 9): its raised minimum belongs to its schedule, not drift",
    });
    expect(runningCampaigns(stacks, new Date("2026-12-07T10:00:00Z"))["shop-prod"]).toMatch(/^campaign `cyber-monday-2026` is running/);
});

test("between campaigns nothing runs", () => {
    expect(runningCampaigns(stacks, new Date("2026-12-03T12:00:00Z"))).toEqual({});
});

test("the command prints the same as JSON, and refuses a moment that is not one", () => {
    const cli = (...args: string[]) =>
        execFileSync(
            process.execPath,
            ["--require", "pulumi-offline-plan/register", path.join(root, "tools/deploy/running-campaigns.ts"), "--stacks", stacks, ...args],
            {
                cwd: root,
                encoding: "utf8",
                stdio: "pipe",
            },
        );
    expect(JSON.parse(cli("--now", "2026-11-28T12:00:00Z"))).toEqual(runningCampaigns(stacks, new Date("2026-11-28T12:00:00Z")));
    expect(() => cli("--now", "yesterday")).toThrow(/--now must be an ISO 8601 instant/);
});

test("the drift report names a running campaign in its stack's row, whatever the preview found", () => {
    const drift = parse(fs.readFileSync(path.join(root, ".github/workflows/drift.yml"), "utf8"));
    const step = (drift.jobs.report.steps as { name?: string; run?: string }[]).find((s) => s.name === "One row per stack")!;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "drift-report-"));
    fs.mkdirSync(path.join(work, "drift"));
    fs.writeFileSync(path.join(work, "drift", "shop-prod"), "success\n");
    fs.writeFileSync(path.join(work, "drift", "shop-dev"), "failure\n");
    fs.writeFileSync(path.join(work, "report.sh"), step.run!);
    const summary = path.join(work, "summary.md");
    const campaigns = runningCampaigns(stacks, new Date("2026-11-28T12:00:00Z"));
    execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "report.sh"], {
        cwd: work,
        env: {
            PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
            GITHUB_STEP_SUMMARY: summary,
            STACKS: JSON.stringify([{ name: "shop-prod" }, { name: "shop-dev" }]),
            CAMPAIGNS: JSON.stringify({ ...campaigns, "shop-dev": campaigns["shop-prod"] }),
            CONFIGURED: "true",
        },
        encoding: "utf8",
    });
    const rows = fs
        .readFileSync(summary, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("| shop-"));
    expect(rows).toEqual([
        "| shop-prod | no drift; campaign `black-friday-2026` is running (to 2026-11-30T23:59 Europe/Amsterdam, minimum 9): its raised minimum belongs to its schedule, not drift |",
        "| shop-dev | **drift or a failed preview**: see the job `drift of shop-dev`; campaign `black-friday-2026` is running (to 2026-11-30T23:59 Europe/Amsterdam, minimum 9): its raised minimum belongs to its schedule, not drift |",
    ]);
});
