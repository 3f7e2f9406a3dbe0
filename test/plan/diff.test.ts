/**
 * `npm run plan -- --base` on this project's transactional-prod: the diff against
 * the base branch's plan, its one-way doors with this project's stateful catalog,
 * and the CLI's exit code, as the pull-request workflow runs it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanResource } from "pulumi-offline-plan";
import { cli } from "../helpers/cli";

type Run = Awaited<ReturnType<typeof cli>>;

describe("npm run plan -- --base on transactional-prod", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
    const head = path.join(dir, "head.json");
    const base = path.join(dir, "base.json");
    let efsName = "";
    /** The plans against the bases, started together once the head is planned; each test waits for the ones it reads. */
    let runs: Record<"same" | "blocked" | "allowed" | "accepted" | "unaccepted", Promise<Run>>;

    /** An accepted-doors file with an entry for the renamed EFS file system for each set of fields given. */
    function doorsFile(name: string, ...entries: Record<string, string>[]): string {
        const file = path.join(dir, name);
        const plan = JSON.parse(fs.readFileSync(head, "utf8"));
        const urn = plan.resources.find((r: PlanResource) => r.type === "aws:efs/fileSystem:FileSystem").urn;
        const lines = entries.map((entry) => {
            const fields = {
                stack: "transactional-prod",
                urn,
                reason: "Re-created under its new name; prod data was copied beforehand.",
                acceptedBy: "@platform-lead",
                expires: "2999-12-31",
                ...entry,
            };
            return `  - ${Object.entries(fields)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                .join("\n    ")}\n`;
        });
        fs.writeFileSync(file, `doors:\n${lines.join("")}`);
        return file;
    }

    beforeAll(async () => {
        const run = await cli(["--stack", "transactional-prod", "--json", head]);
        if (run.code !== 0) throw new Error(`planning the head failed (exit ${run.code}): ${run.stderr}`);
        // The base branch had the EFS file system under another name: its URN differs.
        const plan = JSON.parse(fs.readFileSync(head, "utf8"));
        const fileSystem = plan.resources.find((r: PlanResource) => r.type === "aws:efs/fileSystem:FileSystem");
        efsName = fileSystem.name;
        fileSystem.urn = fileSystem.urn.replace(/::[^:]+$/, "::old-files-efs");
        fileSystem.name = "old-files-efs";
        fs.writeFileSync(base, JSON.stringify(plan));
        const against = (file: string, ...args: string[]) => cli(["--stack", "transactional-prod", "--base", file, ...args]);
        runs = {
            same: against(head, "--json", path.join(dir, "same.json")),
            blocked: against(base, "--markdown", path.join(dir, "comment.md")),
            allowed: against(base, "--allow-one-way-door", efsName),
            accepted: against(base, "--accepted-doors", doorsFile("accepted.yaml", {}), "--markdown", path.join(dir, "accepted.md")),
            // Neither entry accepts the door: one has expired, the other is another stack's.
            unaccepted: against(
                base,
                "--accepted-doors",
                doorsFile("unaccepted.yaml", { expires: "2020-01-01" }, { stack: "transactional-dev" }),
                "--markdown",
                path.join(dir, "unaccepted.md"),
            ),
        };
    }, 120_000);

    test("the same plan as base: exit 0, nothing changed", async () => {
        const run = await runs.same;
        expect(run.code).toBe(0);
        const diff = JSON.parse(fs.readFileSync(path.join(dir, "same.json"), "utf8")).diff;
        expect({ created: diff.created.length, deleted: diff.deleted.length, changed: diff.changed.length, doors: diff.oneWayDoors.length }).toEqual({
            created: 0,
            deleted: 0,
            changed: 0,
            doors: 0,
        });
    }, 120_000);

    test("an EFS file system whose URN changed without an alias: exit 1, the door named in terminal and Markdown", async () => {
        const run = await runs.blocked;
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`one-way door: aws:efs/fileSystem:FileSystem "old-files-efs" (it holds the files written to it) renamed to "${efsName}"`);
        expect(run.stdout).toMatch(
            new RegExp(
                `BLOCKED: add an alias, or accept it in review \\(an accepted-doors entry for urn:pulumi:transactional-prod::multicloud::.*::${efsName}\\)`,
            ),
        );
        const comment = fs.readFileSync(path.join(dir, "comment.md"), "utf8");
        expect(comment).toContain(`| **blocked** | \`${efsName}\``);
        expect(comment).toContain('aliases: [{ name: "old-files-efs" }]');
    }, 120_000);

    test("--allow-one-way-door NAME lets it pass", async () => {
        expect((await runs.allowed).code).toBe(0);
    }, 120_000);

    test("--accepted-doors: a door the committed file accepts passes, and the plan says who accepted it, why and until when", async () => {
        const run = await runs.accepted;
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/One-way door: .* \[accepted in .*accepted\.yaml by @platform-lead until 2999-12-31: Re-created under its new name/);
        expect(fs.readFileSync(path.join(dir, "accepted.md"), "utf8")).toContain(
            "| accepted by `@platform-lead` until 2999-12-31: Re-created under its new name; prod data was copied beforehand. |",
        );
    }, 120_000);

    test("--accepted-doors: an expired entry or another stack's entry accepts nothing, and the comment shows the entry to add", async () => {
        const run = await runs.unaccepted;
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
            /warning: .*unaccepted\.yaml: the door urn:pulumi:transactional-prod::.* of transactional-prod expired on 2020-01-01 and accepts nothing/,
        );
        expect(run.stderr).toMatch(
            /Add an alias, or accept it in review in .*unaccepted\.yaml \(stack transactional-prod, urn urn:pulumi:transactional-prod::/,
        );
        const comment = fs.readFileSync(path.join(dir, "unaccepted.md"), "utf8");
        expect(comment).toMatch(/accept it in review: add to `[^`]*unaccepted\.yaml`/);
        expect(comment).toMatch(
            /```yaml\n  - stack: "transactional-prod"\n    urn: "urn:pulumi:transactional-prod::[^"]*"\n    reason: <why the loss is accepted>/,
        );
    }, 120_000);

    test("--accepted-doors: a file with a bad entry is bad input: exit 2, naming the file, the entry and key, and what is valid", async () => {
        const run = await cli(["--stack", "transactional-prod", "--accepted-doors", doorsFile("bad.yaml", { expires: "next week" })]);
        expect(run.code).toBe(2);
        expect(run.stderr.trim()).toMatch(
            /^error: --accepted-doors: Invalid .*bad\.yaml: doors\[0\]\.expires: a date, YYYY-MM-DD\. Each entry needs stack, urn, reason, acceptedBy and expires/,
        );
    }, 60_000);

    test("a base file that is not a plan is bad usage: exit 2 with one paragraph", async () => {
        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(bad, JSON.stringify({ hello: 1 }));
        const run = await cli(["--stack", "transactional-prod", "--base", bad]);
        expect(run.code).toBe(2);
        expect(run.stderr.trim()).toMatch(/^error: --base .*bad\.json is not a JSON plan/);
    }, 60_000);
});
