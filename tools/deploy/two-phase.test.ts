/**
 * The two-phase check against a made-up deploy history: a throwaway repository
 * whose commits change a workload's protocol settings and whose annotated
 * `deployed/<stack>/<sha>` tags, as the deploy bot writes them, carry chosen
 * tagger dates.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { acceptanceOf, checkTwoPhase, gitHistory, main, renderMarkdown, stacksAtCommit, stacksInTree, type TwoPhaseReport } from "./two-phase";

const root = path.resolve(__dirname, "../..");
const day = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 24 * 3600 * 1000);

interface Setting {
    accept: string[];
    use: string;
}

/** A stack file of the made-up `shop` workload. */
function stackFile(stack: string, settings: Record<string, Setting>, extra: Record<string, unknown> = {}): string {
    return stringify({
        config: { "multicloud:workload": "shop", "multicloud:environment": stack.split("-").pop(), "multicloud:protocol": { settings }, ...extra },
    });
}

/** A throwaway repository: each step writes stack files and commits at a day; `deploy` tags a commit as the bot does at a day. */
function history() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "two-phase-"));
    fs.mkdirSync(path.join(dir, "stacks"));
    const run = (args: string[], at?: Date) =>
        execFileSync("git", args, {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, GIT_AUTHOR_DATE: at?.toISOString() ?? "", GIT_COMMITTER_DATE: at?.toISOString() ?? "", GIT_CONFIG_NOSYSTEM: "1" },
        }).trim();
    run(["init", "--quiet", "--initial-branch=main"]);
    run(["config", "user.email", "deploy@example.com"]);
    run(["config", "user.name", "multicloud-deploy"]);
    return {
        dir,
        write(files: Record<string, string>) {
            for (const [stack, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), text);
        },
        commit(at: Date, files: Record<string, string>): string {
            this.write(files);
            run(["add", "--all"]);
            run(["commit", "--quiet", "-m", `change at ${at.toISOString()}`], at);
            return run(["rev-parse", "HEAD"]);
        },
        deploy(stack: string, commit: string, at: Date) {
            run(["tag", "-f", "-a", `deployed/${stack}/${commit}`, commit, "-m", `${stack} deployed and verified at ${commit}`], at);
        },
    };
}

const v1: Setting = { accept: ["avro-v1"], use: "avro-v1" };
const prepared: Setting = { accept: ["avro-v1", "avro-v2"], use: "avro-v1" };
const activated: Setting = { accept: ["avro-v1", "avro-v2"], use: "avro-v2" };

/**
 * The shop workload's history: both stacks write avro-v1 (day 0); readers accept
 * avro-v2 from a commit deployed to dev on day 1 and to prod on day 2.
 */
function shop() {
    const repo = history();
    const first = repo.commit(day(0), {
        "shop-dev": stackFile("shop-dev", { "event-format": v1 }),
        "shop-prod": stackFile("shop-prod", { "event-format": v1 }),
    });
    repo.deploy("shop-dev", first, day(0));
    repo.deploy("shop-prod", first, day(0));
    const prepare = repo.commit(day(1), {
        "shop-dev": stackFile("shop-dev", { "event-format": prepared }),
        "shop-prod": stackFile("shop-prod", { "event-format": prepared }),
    });
    repo.deploy("shop-dev", prepare, day(1));
    repo.deploy("shop-prod", prepare, day(2));
    return { repo, first, prepare };
}

/** The report for the working tree's stack files against the last commit, at a moment. */
function judge(repo: ReturnType<typeof history>, now: Date, head: Record<string, string>): TwoPhaseReport {
    repo.write(head);
    return checkTwoPhase({ base: stacksAtCommit(repo.dir, "HEAD"), head: stacksInTree(repo.dir), history: gitHistory(repo.dir), now });
}
const findingsOf = (report: TwoPhaseReport) => report.findings.map((f) => ({ stack: f.stack, phase: f.phase, refused: f.refused }));

describe("the deploy history, from the bot's tags", () => {
    test("each deployed/<stack>/<sha> tag is a deploy at its tagger date, oldest first; a lightweight tag is not the bot's", () => {
        const { repo, first, prepare } = shop();
        execFileSync("git", ["tag", `deployed/shop-dev/${first}-by-hand`, first], { cwd: repo.dir });
        const h = gitHistory(repo.dir);
        expect(h.deploys.map((d) => [d.stack, d.commit, d.at.toISOString()])).toEqual([
            ["shop-dev", first, day(0).toISOString()],
            ["shop-prod", first, day(0).toISOString()],
            ["shop-dev", prepare, day(1).toISOString()],
            ["shop-prod", prepare, day(2).toISOString()],
        ]);
        expect(h.factsAt("shop-prod", prepare)?.settings["event-format"]).toEqual(prepared);
    });

    test("a value is accepted since the first of the unbroken run of deploys that accept it", () => {
        const { repo } = shop();
        const h = gitHistory(repo.dir);
        expect(acceptanceOf(h, "shop-prod", "event-format", "avro-v2")).toEqual({ state: "accepted", since: day(2) });
        expect(acceptanceOf(h, "shop-prod", "event-format", "avro-v3")).toMatchObject({ state: "not-deployed-with-it" });
        expect(acceptanceOf(h, "shop-canary", "event-format", "avro-v2")).toEqual({ state: "never-deployed" });
    });

    test("a rollback to a commit without the value breaks the run: the bake starts again at the next deploy that has it", () => {
        const { repo, first, prepare } = shop();
        repo.deploy("shop-dev", first, day(3));
        expect(acceptanceOf(gitHistory(repo.dir), "shop-dev", "event-format", "avro-v2")).toMatchObject({ state: "not-deployed-with-it" });
        const again = repo.commit(day(4), { "shop-dev": stackFile("shop-dev", { "event-format": prepared, "wire-version": { accept: ["3"], use: "3" } }) });
        repo.deploy("shop-dev", again, day(4));
        expect(acceptanceOf(gitHistory(repo.dir), "shop-dev", "event-format", "avro-v2")).toEqual({ state: "accepted", since: day(4) });
        expect(prepare).not.toBe(again);
    });
});

describe("each change of a protocol setting", () => {
    test("prepare: a value added to accept goes ahead, and the comment says when it may be used", () => {
        const repo = history();
        const first = repo.commit(day(0), {
            "shop-dev": stackFile("shop-dev", { "event-format": v1 }),
            "shop-prod": stackFile("shop-prod", { "event-format": v1 }),
        });
        repo.deploy("shop-dev", first, day(0));
        repo.deploy("shop-prod", first, day(0));
        const report = judge(repo, day(1), {
            "shop-dev": stackFile("shop-dev", { "event-format": prepared }),
            "shop-prod": stackFile("shop-prod", { "event-format": prepared }),
        });
        expect(findingsOf(report)).toEqual([
            { stack: "shop-dev", phase: "prepare", refused: undefined },
            { stack: "shop-prod", phase: "prepare", refused: undefined },
        ]);
        expect(report.findings[0].standing).toMatch(
            /^activate once every stack has deployed it and the bake period has passed: shop-dev: not deployed with it yet/,
        );
    });

    test("activate before every stack has run the value for the bake period: refused, naming the stack and until when", () => {
        const { repo } = shop();
        const report = judge(repo, day(4), { "shop-dev": stackFile("shop-dev", { "event-format": activated }) });
        expect(findingsOf(report)).toEqual([
            {
                stack: "shop-dev",
                phase: "activate",
                refused:
                    "every stack of shop must accept `avro-v2`, deployed and verified, for 3 days first: shop-prod has accepted it for 2.0 days only, not the 3 days of the bake period (until 2026-12-06 00:00 UTC)",
            },
            // The other stack's prepared value, untouched here, is listed with where it stands.
            { stack: "shop-prod", phase: "prepared", refused: undefined },
        ]);
    });

    test("activate once every stack has run it for the bake period: goes ahead", () => {
        const { repo } = shop();
        const report = judge(repo, day(5), { "shop-dev": stackFile("shop-dev", { "event-format": activated }) });
        const [dev] = report.findings;
        expect(dev).toMatchObject({ stack: "shop-dev", phase: "activate", refused: undefined });
        expect(dev.standing).toBe(
            "ready to activate: shop-dev: accepted since 2026-12-02 00:00 UTC (4.0 days, baked); shop-prod: accepted since 2026-12-03 00:00 UTC (3.0 days, baked)",
        );
    });

    test("the bake period is the base branch's: a change cannot shorten its own wait", () => {
        const { repo } = shop();
        const shorter = { "multicloud:protocol": { bakeDays: 1, settings: { "event-format": activated } } };
        const report = judge(repo, day(4), { "shop-dev": stringify({ config: { "multicloud:workload": "shop", ...shorter } }) });
        expect(report.findings[0].refused).toMatch(/for 3 days first: shop-prod has accepted it for 2\.0 days only/);
    });

    test("a configured bake period counts", () => {
        const { repo } = shop();
        const oneDay = { "multicloud:protocol": { bakeDays: 1, settings: { "event-format": prepared } } };
        repo.commit(day(3), { "shop-dev": stringify({ config: { "multicloud:workload": "shop", ...oneDay } }) });
        const report = judge(repo, day(3), {
            "shop-dev": stringify({
                config: { "multicloud:workload": "shop", "multicloud:protocol": { bakeDays: 1, settings: { "event-format": activated } } },
            }),
        });
        expect(report.findings[0]).toMatchObject({ phase: "activate", refused: undefined });
    });

    test("a stack never deployed has not run the value: activation waits for it", () => {
        const { repo } = shop();
        repo.commit(day(3), { "shop-canary": stackFile("shop-canary", { "event-format": prepared }) });
        const report = judge(repo, day(9), { "shop-dev": stackFile("shop-dev", { "event-format": activated }) });
        expect(report.findings[0].refused).toMatch(/shop-canary has never been deployed, so it has not run it$/);
    });

    test("both phases at once: refused", () => {
        const { repo } = shop();
        const report = judge(repo, day(9), {
            "shop-dev": stackFile("shop-dev", { "event-format": { accept: ["avro-v1", "avro-v2", "avro-v3"], use: "avro-v3" } }),
        });
        expect(report.findings[0]).toMatchObject({
            phase: "activate",
            change: "adds `avro-v3` to accept and moves use from `avro-v1` to `avro-v3`",
            refused:
                "both phases at once: readers must accept a value in one deploy, and writers use it in a later one, once every stack has run the readers for the bake period",
        });
    });

    test("use outside accept: refused", () => {
        const { repo } = shop();
        const report = judge(repo, day(9), { "shop-dev": stackFile("shop-dev", { "event-format": { accept: ["avro-v1"], use: "avro-v2" } }) });
        expect(report.findings[0].refused).toBe("`avro-v2` is outside accept (`avro-v1`): no reader would take what writers write");
    });

    test("dropping a value still in use is refused; once no stack writes it, as configured or as deployed, it retires", () => {
        const { repo } = shop();
        // Dev already writes avro-v2 (merged, not deployed); prod still writes avro-v1.
        const moved = repo.commit(day(6), {
            "shop-dev": stackFile("shop-dev", { "event-format": activated }),
            "shop-prod": stackFile("shop-prod", { "event-format": activated }),
        });
        repo.deploy("shop-dev", moved, day(6));
        const early = judge(repo, day(7), { "shop-dev": stackFile("shop-dev", { "event-format": { accept: ["avro-v2"], use: "avro-v2" } }) });
        expect(early.findings[0]).toMatchObject({
            phase: "retire",
            refused: "`avro-v1` is still written by a stack of shop (as configured or as deployed): move use away and deploy that first",
        });
        repo.deploy("shop-prod", moved, day(7));
        const late = judge(repo, day(8), { "shop-dev": stackFile("shop-dev", { "event-format": { accept: ["avro-v2"], use: "avro-v2" } }) });
        expect(findingsOf(late)).toEqual([{ stack: "shop-dev", phase: "retire", refused: undefined }]);
        expect(late.findings[0].change).toBe("readers stop accepting `avro-v1`, which no stack uses");
    });

    test("a new setting is declared; removing one is allowed only once it holds a single value", () => {
        const { repo } = shop();
        const declared = judge(repo, day(3), { "shop-dev": stackFile("shop-dev", { "event-format": prepared, "wire-version": { accept: ["3"], use: "3" } }) });
        expect(findingsOf(declared)[0]).toEqual({ stack: "shop-dev", phase: "declare", refused: undefined });
        const removed = judge(repo, day(3), { "shop-dev": stackFile("shop-dev", {}) });
        expect(removed.findings[0]).toMatchObject({
            phase: "remove",
            refused: "readers still accept `avro-v1`, `avro-v2` while writers use `avro-v1`: retire the other values first, then remove the setting",
        });
    });
});

describe("renaming a consumer group", () => {
    const converters = (consumerGroup: string) => ({
        "multicloud:converters": { consumerGroup, sourceEndpoint: "orders-db.prod.internal:5432", sourceSizeGib: 850 },
    });

    test("is reported as a replay of the whole source, with its size, and whether review accepted the door", () => {
        const repo = history();
        repo.commit(day(0), { "shop-prod": stackFile("shop-prod", {}, converters("orders-cdc")) });
        repo.write({ "shop-prod": stackFile("shop-prod", {}, converters("orders-cdc-v2")) });
        const input = { base: stacksAtCommit(repo.dir, "HEAD"), head: stacksInTree(repo.dir), history: gitHistory(repo.dir), now: day(1) };
        const open = checkTwoPhase(input);
        expect(open.replays).toEqual([
            { stack: "shop-prod", from: "orders-cdc", to: "orders-cdc-v2", source: "orders-db.prod.internal:5432", sizeGib: 850, accepted: undefined },
        ]);
        expect(renderMarkdown(open)).toContain(
            "the converters start from nothing and replay the whole source (orders-db.prod.internal:5432, 850 GiB). It is a one-way door (the group's ConfigMap is renamed): the plan and the deploy refuse it until `deploy/accepted-doors.yaml` accepts it",
        );
        const entry = {
            stack: "shop-prod",
            urn: "urn:pulumi:shop-prod::multicloud::multicloud:kubernetes:ConverterGroup$kubernetes:core/v1:ConfigMap::shop-cdc-group-orders-cdc-v2",
            reason: "The index is rebuilt from scratch on purpose.",
            acceptedBy: "@data-lead",
            expires: "2999-12-31",
        };
        const accepted = checkTwoPhase({ ...input, acceptedDoors: { file: "deploy/accepted-doors.yaml", accepted: [entry], expired: [] } });
        expect(accepted.replays[0].accepted).toEqual(entry);
        expect(renderMarkdown(accepted)).toContain(
            "Accepted as a one-way door in `deploy/accepted-doors.yaml` by @data-lead: The index is rebuilt from scratch on purpose.",
        );
    });
});

describe("the comment and the command", () => {
    test("nothing to say, nothing written", () => {
        expect(renderMarkdown({ findings: [], replays: [] })).toBe("");
    });

    test("a table row per finding; a refused one says why; a pipe in a value cannot break the table", () => {
        const markdown = renderMarkdown({
            findings: [
                {
                    stack: "shop-dev",
                    setting: "event-format",
                    phase: "activate",
                    change: "moves use from `a|b` to `c`",
                    standing: "refused",
                    refused: "too early",
                },
                {
                    stack: "shop-prod",
                    setting: "event-format",
                    phase: "prepare",
                    change: "readers accept `c` too; writers keep `a`",
                    standing: "ready to activate: shop-prod: accepted since x",
                },
            ],
            replays: [],
        });
        expect(markdown).toContain("**Refused: 1 protocol change(s)**");
        expect(markdown).toContain("| shop-dev | `event-format` | activate | moves use from `a\\|b` to `c` | ❌ refused: too early |");
        expect(markdown).toContain(
            "| shop-prod | `event-format` | prepare | readers accept `c` too; writers keep `a` | ready to activate: shop-prod: accepted since x |",
        );
    });

    test("the command appends the report to the comment and exits 1 when a change is refused, 0 when none is, 2 on a bad base", () => {
        const { repo } = shop();
        const comment = path.join(repo.dir, "comment.md");
        fs.writeFileSync(comment, "## Offline plan\n");
        repo.write({ "shop-dev": stackFile("shop-dev", { "event-format": activated }) });
        const io = [jest.spyOn(process.stderr, "write").mockImplementation(() => true), jest.spyOn(process.stdout, "write").mockImplementation(() => true)];
        try {
            expect(main(["--base", "HEAD", "--root", repo.dir, "--now", day(4).toISOString(), "--markdown", comment])).toBe(1);
            expect(fs.readFileSync(comment, "utf8")).toMatch(/^## Offline plan\n\n## Two-phase changes\n\n\*\*Refused: 1 protocol change\(s\)\*\*/);
            expect(main(["--base", "HEAD", "--root", repo.dir, "--now", day(5).toISOString(), "--json"])).toBe(0);
            expect(main(["--base", "no-such-ref", "--root", repo.dir])).toBe(2);
        } finally {
            for (const spy of io) spy.mockRestore();
        }
    });

    test("on this repository, as the pull-request job runs it, it finds nothing refused", () => {
        const result = spawnSync(
            process.execPath,
            ["--require", "pulumi-offline-plan/register", path.join(root, "tools/deploy/two-phase.ts"), "--base", "HEAD"],
            {
                cwd: root,
                encoding: "utf8",
            },
        );
        expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    });
});

describe("the pull-request job's step", () => {
    const workflow = parse(fs.readFileSync(path.join(root, ".github/workflows/pull-request.yml"), "utf8"));
    const steps = workflow.jobs.plan.steps as { name?: string; id?: string; if?: string; run?: string; uses?: string }[];
    const named = (name: string) => steps.find((s) => s.name === name)!;

    test("runs after the comment is written and before it is posted; a refusal fails the job only after the comment step", () => {
        const order = steps.map((s) => s.name ?? s.uses);
        const at = (name: string) => order.indexOf(name);
        expect(at("Two-phase changes")).toBeGreaterThan(at("Nothing to plan"));
        expect(at("Two-phase changes")).toBeLessThan(at("Pull-request comment"));
        expect(at("Refused two-phase change")).toBeGreaterThan(at("Pull-request comment"));
        expect(named("Refused two-phase change").if).toBe("steps.two-phase.outputs.exit != '' && steps.two-phase.outputs.exit != '0'");
    });

    test("in a clone of the repository, as the runner checks it out, it appends its report to comment.md and records the exit", () => {
        // The step judges at the runner's clock: prod accepted avro-v2 a day ago.
        const ago = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);
        const repo = history();
        const prepare = repo.commit(ago(6), {
            "shop-dev": stackFile("shop-dev", { "event-format": prepared }),
            "shop-prod": stackFile("shop-prod", { "event-format": prepared }),
        });
        repo.deploy("shop-dev", prepare, ago(5));
        repo.deploy("shop-prod", prepare, ago(1));
        const clone = fs.mkdtempSync(path.join(os.tmpdir(), "two-phase-clone-"));
        execFileSync("git", ["clone", "--quiet", repo.dir, clone]);
        // The project's own tools and install, as in the job's checkout.
        fs.symlinkSync(path.join(root, "tools"), path.join(clone, "tools"));
        fs.symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules"));
        fs.writeFileSync(path.join(clone, "stacks", "Pulumi.shop-dev.yaml"), stackFile("shop-dev", { "event-format": activated }));
        fs.writeFileSync(path.join(clone, "comment.md"), "## Offline plan\n");
        const temp = fs.mkdtempSync(path.join(os.tmpdir(), "two-phase-step-"));
        const [output, summary] = [path.join(temp, "output"), path.join(temp, "summary")];
        fs.writeFileSync(path.join(temp, "step.sh"), named("Two-phase changes").run!);
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(temp, "step.sh")], {
            cwd: clone,
            env: {
                PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
                HOME: os.homedir(),
                RUNNER_TEMP: temp,
                GITHUB_BASE_REF: "main",
                GITHUB_OUTPUT: output,
                GITHUB_STEP_SUMMARY: summary,
            },
            encoding: "utf8",
        });
        expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
        expect(fs.readFileSync(output, "utf8")).toBe("exit=1\n");
        const comment = fs.readFileSync(path.join(clone, "comment.md"), "utf8");
        expect(comment).toMatch(/^## Offline plan\n\n## Two-phase changes\n\n\*\*Refused: 1 protocol change\(s\)\*\*/);
        expect(comment).toContain(
            "| shop-dev | `event-format` | activate | moves use from `avro-v1` to `avro-v2` | ❌ refused: every stack of shop must accept `avro-v2`",
        );
        expect(fs.readFileSync(summary, "utf8")).toBe(comment.slice("## Offline plan\n".length));
    });
});
