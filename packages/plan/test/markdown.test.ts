/**
 * The pull-request comment. The snapshot is the reviewed comment for two stacks
 * (one compared with its base, with a blocked one-way door, a violation and a
 * cost change); the assertions name the properties the comment must keep: what a
 * pull request names is escaped wherever it lands (checked with a Markdown parser
 * and Mermaid's own parser), and any change fits GitHub's comment limit.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { diffPlans } from "../src/diff";
import { cli } from "./helpers/cli";
import { commentBudget, commentMarker } from "../src/markdown";
import { renderMarkdown, testFacts } from "./helpers/facts";
import type { PlanResource } from "../src/plan";
import type { ReviewedPlan } from "../src/render";

function planOf(stack: string, resources: PlanResource[], extra: Partial<ReviewedPlan> = {}): ReviewedPlan {
    return {
        project: "multicloud",
        stack,
        stackFile: `stacks/Pulumi.${stack}.yaml`,
        resources,
        violations: [],
        remediations: [],
        outputs: {},
        policyPacks: [{ name: "multicloud", version: "0.1.0", policies: 12 }],
        stackReferences: [],
        ...extra,
    };
}

function stackResources(stack: string, efsName: string): PlanResource[] {
    const root = `urn:pulumi:${stack}::multicloud::pulumi:pulumi:Stack::multicloud-${stack}`;
    const component = (type: string, name: string, parent = root): PlanResource => ({
        urn: `urn:pulumi:${stack}::multicloud::${type}::${name}`,
        type,
        name,
        parent,
        custom: false,
        protect: false,
        aliases: [],
        inputs: {},
    });
    const storage = component("multicloud:aws:SharedStorage", "transactional-files");
    const lb = component("multicloud:aws:LoadBalancer", "transactional-lb");
    const custom = (type: string, name: string, parent: string, inputs: Record<string, unknown> = {}): PlanResource => ({
        urn: `urn:pulumi:${stack}::multicloud::${type}::${name}`,
        type,
        name,
        parent,
        custom: true,
        protect: false,
        aliases: [],
        inputs: { tags: { workload: "transactional" }, ...inputs },
    });
    return [
        { urn: root, type: "pulumi:pulumi:Stack", name: `multicloud-${stack}`, custom: false, protect: false, aliases: [], inputs: {} },
        storage,
        custom("aws:efs/fileSystem:FileSystem", efsName, storage.urn, { encrypted: true }),
        custom("aws:kms/key:Key", "transactional-files-key", storage.urn),
        lb,
        component("multicloud:aws:AccessLogBucket", "transactional-lb-access-logs", lb.urn),
        custom("aws:lb/loadBalancer:LoadBalancer", "transactional-lb", lb.urn, { internal: false }),
    ];
}

function reviewedPlans(): ReviewedPlan[] {
    const base = planOf("transactional-prod", stackResources("transactional-prod", "transactional-shared-efs"));
    const head = planOf("transactional-prod", stackResources("transactional-prod", "transactional-files-efs"), {
        violations: [
            {
                policyPack: "multicloud",
                policyPackVersion: "0.1.0",
                policy: "aws-alb-https-only",
                description: "Listeners must use HTTPS | TLS 1.2+: set `protocol: HTTPS` and a modern sslPolicy.",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: "urn:pulumi:transactional-prod::multicloud::multicloud:aws:LoadBalancer$aws:lb/listener:Listener::transactional-lb-http",
                message: "Listener transactional-lb-http accepts plain HTTP on port 80.\nMore detail.",
            },
        ],
        cost: { monthlyUsd: 1834.5, byCloud: { aws: 1834.5 }, byWorkload: { transactional: 1834.5 }, unpriced: ["aws:efs/accessPoint:AccessPoint"] },
        costChange: { baseMonthlyUsd: 1700, monthlyUsd: 1834.5, deltaUsd: 134.5 },
    });
    head.diff = diffPlans(base, head, { baseLabel: "base-plan.json (transactional-prod)", statefulHolds: testFacts.statefulHolds });
    const dev = planOf("transactional-dev", stackResources("transactional-dev", "transactional-files-efs"), {
        cost: { monthlyUsd: 412, byCloud: { aws: 412 }, byWorkload: { transactional: 412 }, unpriced: 0 },
    });
    return [head, dev];
}

describe("renderMarkdown", () => {
    const markdown = renderMarkdown(reviewedPlans(), { workloads: { "transactional-prod": "transactional", "transactional-dev": "transactional" } });

    test("the reviewed comment", () => {
        expect(markdown).toMatchSnapshot();
    });

    test("starts with the marker CI uses to update one comment", () => {
        expect(markdown.startsWith(commentMarker)).toBe(true);
    });

    test("names the blocked one-way door and the alias that keeps the resource", () => {
        expect(markdown).toContain("<summary><strong>transactional-prod</strong>: ❌ blocked: 1 mandatory violation, 1 blocked one-way door</summary>");
        expect(markdown).toContain('aliases: [{ name: "transactional-shared-efs" }]');
        expect(markdown).toContain("--allow-one-way-door transactional-files-efs");
    });

    test("with an accepted-doors file, a blocked door shows the entry to add, in a fence its URN cannot close", () => {
        const [head, dev] = reviewedPlans();
        const door = head.diff!.oneWayDoors[0];
        const hostile = { ...head, diff: { ...head.diff!, oneWayDoors: [{ ...door, urn: `${door.urn}\`\`\`\n# injected` }] } };
        const text = renderMarkdown([hostile, dev], { acceptedDoorsFile: "deploy/accepted-doors.yaml" });
        expect(text).toContain("accept it in review: add to `deploy/accepted-doors.yaml`");
        expect(text).not.toContain("--allow-one-way-door");
        const block = /\n(`{3,})yaml\n([\s\S]*?)\n\1\n/.exec(text)!;
        expect(block[1].length).toBeGreaterThan(3);
        expect(block[2]).toContain(`  - stack: "transactional-prod"\n    urn: ${JSON.stringify(`${door.urn}\`\`\`\n# injected`)}`);
    });

    test("puts each violation in a table row with the policy's remediation steps, pipes escaped", () => {
        const [head, dev] = reviewedPlans();
        head.violations[0].remediation = "Set `protocol: HTTPS` | and an sslPolicy of TLS 1.2 or later.";
        const row = renderMarkdown([head, dev])
            .split("\n")
            .find((l) => l.startsWith("| mandatory |"))!;
        expect(row).toContain("Set \\`protocol: HTTPS\\` \\| and an sslPolicy of TLS 1.2 or later.");
        expect(row).not.toContain("Listeners must use HTTPS");
        expect(cells(row)).toBe(5);
    });

    test("without remediation steps, the fix is the policy's description, pipes escaped", () => {
        const row = markdown.split("\n").find((l) => l.startsWith("| mandatory |"))!;
        expect(row).toContain("Listeners must use HTTPS \\| TLS 1.2+");
        expect(cells(row)).toBe(5);
    });

    test("summarises every stack first, then folds each in <details>", () => {
        const summary = markdown.indexOf("| stack | status | create | update | replace | delete | violations | one-way doors | monthly cost |");
        expect(summary).toBeGreaterThan(0);
        expect(summary).toBeLessThan(markdown.indexOf("<details>"));
        expect(markdown).toContain(
            "| `transactional-prod` | ❌ blocked: 1 mandatory violation, 1 blocked one-way door | 1 | 0 | 0 | 1 | 1 | 1 | $1,834.50 (+$134.50) |",
        );
        expect(markdown.match(/<details>/g)).toHaveLength(2);
        expect(markdown.match(/<\/details>/g)).toHaveLength(2);
    });

    test("lists each changed resource with its changed property paths, naming those that force a replacement", () => {
        const [base] = reviewedPlans();
        const head = structuredClone(base);
        const efs = head.resources.find((r) => r.type === "aws:efs/fileSystem:FileSystem")!;
        efs.inputs = { ...efs.inputs, encrypted: false, throughputMode: "elastic" };
        head.diff = diffPlans(base, head, { baseLabel: "base.json", statefulHolds: testFacts.statefulHolds });
        expect(renderMarkdown([head])).toContain(
            "| replace | `transactional-files-efs` | `aws:efs/fileSystem:FileSystem` | `encrypted` (forces replacement), `throughputMode` |",
        );
    });

    test("shows the cost and its change", () => {
        expect(markdown).toContain("**Estimated monthly cost:** $1,834.50 (+$134.50 against the base: $1,700.00)");
    });

    test("draws clouds > workloads > components as a Mermaid flowchart", () => {
        const diagram = markdown.split("```mermaid\n")[1].split("```")[0];
        expect(diagram).toMatch(/^flowchart LR\n {2}subgraph cloud0\["aws"\]\n {4}subgraph workload0_0\["transactional"\]/);
        expect(diagram).toContain('["SharedStorage<br/>transactional-files"]');
        expect(diagram).not.toContain("FileSystem");
    });

    test("without a diff or a cost: only resources to create, no cost line", () => {
        const [, dev] = reviewedPlans();
        const only = renderMarkdown([{ ...dev, cost: undefined }]);
        expect(only).toContain("| cloud | workload | create |\n");
        expect(only).not.toContain("monthly cost");
    });
});

/** Cells of a table row as GitHub splits it: on every `|` not escaped by a backslash, code spans included. */
function cells(row: string): number {
    return row
        .trim()
        .replace(/^\|/, "")
        .replace(/(?<!\\)\|$/, "")
        .split(/(?<!\\)\|/).length;
}

/** Every table of the comment: its rows, header and delimiter included. */
function tables(markdown: string): string[][] {
    const found: string[][] = [];
    let current: string[] = [];
    for (const line of [...markdown.split("\n"), ""]) {
        if (line.startsWith("|")) current.push(line);
        else if (current.length) {
            found.push(current);
            current = [];
        }
    }
    return found;
}

interface ReadAsGitHub {
    links: string[];
    tags: string[];
    mermaidErrors: string[];
}

/**
 * Reads comments as GitHub would, in a child process (the readers are ES modules,
 * and jsdom with Mermaid takes seconds to load: one process serves the whole file):
 * the links, images and HTML tags that GitHub-flavoured Markdown finds (marked's
 * lexer), and the error of each Mermaid block under Mermaid's own parser (jsdom
 * gives it the DOM it expects). One request a line, one answer a line, in order.
 */
function gitHubReader(): { read(markdown: string, mermaidBlocks: string[]): Promise<ReadAsGitHub>; stop(): void } {
    const script = `
        import { JSDOM } from "jsdom";
        import { Lexer } from "marked";
        import { createInterface } from "node:readline";
        const { window } = new JSDOM("");
        globalThis.window = window;
        globalThis.document = window.document;
        const { default: mermaid } = await import("mermaid");
        for await (const line of createInterface({ input: process.stdin })) {
            const { markdown, blocks } = JSON.parse(line);
            const links = [], tags = [], mermaidErrors = [];
            const walk = (tokens) => {
                for (const t of tokens ?? []) {
                    if (t.type === "link" || t.type === "image") links.push(t.raw);
                    if (t.type === "html") tags.push(...(t.raw.match(/<\\/?[A-Za-z][^>]*>|<!--[\\s\\S]*?-->/g) ?? []));
                    walk(t.tokens);
                    walk(t.items);
                    for (const c of t.header ?? []) walk(c.tokens);
                    for (const row of t.rows ?? []) for (const c of row) walk(c.tokens);
                }
            };
            walk(new Lexer({ gfm: true }).lex(markdown));
            for (const block of blocks) {
                try { await mermaid.parse(block); } catch (e) { mermaidErrors.push(String(e.message ?? e)); }
            }
            process.stdout.write(JSON.stringify({ links, tags, mermaidErrors }) + "\\n");
        }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: path.resolve(__dirname, ".."), stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    const waiting: { resolve: (answer: ReadAsGitHub) => void; reject: (err: Error) => void }[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.resolve(JSON.parse(line) as ReadAsGitHub));
    child.once("exit", (code) => waiting.splice(0).forEach((w) => w.reject(new Error(`the reader exited (${code}): ${stderr}`))));
    return {
        read: (markdown, mermaidBlocks) =>
            new Promise((resolve, reject) => {
                waiting.push({ resolve, reject });
                child.stdin.write(JSON.stringify({ markdown, blocks: mermaidBlocks }) + "\n");
            }),
        stop: () => child.kill(),
    };
}

let reader: ReturnType<typeof gitHubReader>;
beforeAll(() => {
    reader = gitHubReader();
});
afterAll(() => reader.stop());
const readAsGitHub = (markdown: string, mermaidBlocks: string[]) => reader.read(markdown, mermaidBlocks);

const mermaidBlocks = (markdown: string): string[] => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("names a pull request controls are escaped wherever they land", () => {
    const fixtureDir = path.resolve(__dirname, "fixtures/hostile-names");
    const stack = fs
        .readdirSync(fixtureDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .find((s) => s !== undefined)!;
    let markdown = "";

    beforeAll(async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-md-"));
        const run = (args: string[]) => cli(["--cwd", fixtureDir, "--stack", stack, "--policy-pack", path.join(fixtureDir, "pack"), ...args]);
        const base = path.join(dir, "base.json");
        const planned = await run(["--json", base]);
        if (planned.code !== 0) throw new Error(`planning the base failed (exit ${planned.code}): ${planned.stderr}`);
        // The base lacks a tag whose key is hostile, so the diff names a hostile property path.
        const plan = JSON.parse(fs.readFileSync(base, "utf8"));
        for (const r of plan.resources) if (r.type === "aws:s3/bucket:Bucket") delete r.inputs.tags["pipe|split|cells"];
        fs.writeFileSync(base, JSON.stringify(plan));
        const comment = path.join(dir, "comment.md");
        const { code, stderr } = await run(["--base", base, "--markdown", comment]);
        if (code !== 0) throw new Error(`the comment was not written (exit ${code}): ${stderr}`);
        markdown = fs.readFileSync(comment, "utf8");
    }, 120_000);

    test("the comment quotes the hostile names: resources, components, outputs, property paths and policy messages", () => {
        expect(markdown).toContain("`<img src=x onerror=alert(1)>`");
        expect(markdown).toContain("The file system &lt;img src=x onerror=alert\\(1\\)&gt; is quoted here \\| with a pipe.");
        expect(markdown).toContain("| `tags.pipe\\|split\\|cells` |");
        expect(markdown).toContain("**Stack outputs:**");
        expect(markdown).toContain("```mermaid");
    });

    test("every row of every table has its header's number of cells", () => {
        const found = tables(markdown);
        expect(found.length).toBeGreaterThanOrEqual(4);
        for (const table of found) {
            const width = cells(table[0]);
            expect(table.map(cells)).toEqual(table.map(() => width));
        }
    });

    test("no link, image or HTML tag comes from a name", async () => {
        const { links, tags } = await readAsGitHub(markdown, []);
        expect(links).toEqual([]);
        const own = new Set([commentMarker, "<details>", "</details>", "<summary>", "</summary>", "<strong>", "</strong>"]);
        expect(tags.filter((t) => !own.has(t))).toEqual([]);
        expect(tags).toContain("<summary>");
    });

    test("every Mermaid block parses with Mermaid's parser, and the parser rejects an unescaped label", async () => {
        const blocks = mermaidBlocks(markdown);
        expect(blocks.length).toBe(1);
        expect((await readAsGitHub("", blocks)).mermaidErrors).toEqual([]);
        const unescaped = 'flowchart LR\n  c0["mermaid"] --> end; x[("y")]"]\n';
        expect((await readAsGitHub("", [unescaped])).mermaidErrors[0]).toMatch(/Parse error/);
    }, 60_000);
});

test("a stack name is escaped too, though the plan refuses one that is no Pulumi stack name", async () => {
    // Pulumi stack names hold only letters, digits, "-", "_" and "."; a plan read from elsewhere (--base) may not.
    const hostileStack = 'tick`s|<img src=x onerror=alert(1)>[x](javascript:alert(3))"];end';
    const markdown = renderMarkdown([planOf(hostileStack, stackResources(hostileStack, "files-efs"))]);
    expect(markdown).toContain('``tick`s\\|<img src=x onerror=alert(1)>[x](javascript:alert(3))"];end``');
    for (const table of tables(markdown)) expect(table.map(cells)).toEqual(table.map(() => cells(table[0])));
    const { links, tags, mermaidErrors } = await readAsGitHub(markdown, mermaidBlocks(markdown));
    expect(links).toEqual([]);
    expect(tags.filter((t) => !["<details>", "</details>", "<summary>", "</summary>", "<strong>", "</strong>", commentMarker].includes(t))).toEqual([]);
    expect(mermaidErrors).toEqual([]);
}, 60_000);

describe("the comment stays under GitHub's limit for any change", () => {
    /** A change to every stack: many resources created, updated with several paths, deleted, many violations. */
    function largeChange(): ReviewedPlan[] {
        const stacks = ["analytics", "backend", "partner", "transactional"].flatMap((w) => [`${w}-dev`, `${w}-prod`]);
        return stacks.map((stack) => {
            const resources = stackResources(stack, "files-efs");
            for (let i = 0; i < 400; i++) {
                resources.push({
                    ...resources[2],
                    urn: `${resources[2].urn}-${i}`,
                    name: `queue-${i}-with-a-long-descriptive-name`,
                    type: "aws:sqs/queue:Queue",
                });
                resources.push({ ...resources[1], urn: `${resources[1].urn}-c${i}`, name: `component-${i}` });
            }
            const base = planOf(
                stack,
                resources.map((r) => ({ ...r, inputs: { ...r.inputs, visibilityTimeoutSeconds: 30, delaySeconds: 0 } })),
            );
            const head = planOf(stack, resources, {
                violations: resources.slice(0, 300).map((r) => ({
                    policyPack: "multicloud",
                    policyPackVersion: "0.1.0",
                    policy: "cost-allocation-tags",
                    description: "Every taggable resource carries the cost tags.",
                    remediation: "Tag the resource with workload, environment and cost-center.",
                    enforcementLevel: "mandatory" as const,
                    severity: "medium",
                    urn: r.urn,
                    message: `Resource ${r.name} has no cost-center tag.`,
                })),
                cost: { monthlyUsd: 1000, byCloud: { aws: 1000 }, byWorkload: { [stack]: 1000 }, unpriced: 0 },
            });
            head.diff = diffPlans(base, head, { baseLabel: `base.json (${stack})`, statefulHolds: testFacts.statefulHolds });
            return head;
        });
    }

    test("a change to all eight stacks fits the budget, names every stack and points to the rest", () => {
        const plans = largeChange();
        const comment = renderMarkdown(plans);
        expect(comment.length).toBeLessThanOrEqual(commentBudget);
        expect(commentBudget).toBeLessThan(65_536);
        for (const p of plans) expect(comment).toContain(`| \`${p.stack}\` |`);
        expect(comment.trimEnd().split("\n").pop()).toMatch(/job summary and in its `offline-plan` artifact\._$/);
    });

    test("detail goes in order: the diagram first, then the changed resources", () => {
        const plans = largeChange().slice(0, 1);
        const full = renderMarkdown(plans, { budget: Number.MAX_SAFE_INTEGER });
        expect(full).toContain("```mermaid");
        expect(full).not.toContain("leaves out");
        const withoutDiagram = renderMarkdown(plans, { budget: full.length - 1 });
        expect(withoutDiagram).not.toContain("```mermaid");
        expect(withoutDiagram).toContain("**Changed resources**");
        expect(withoutDiagram).toContain("leaves out the diagrams to stay");
        const withoutChanges = renderMarkdown(plans, { budget: withoutDiagram.length - 1 });
        expect(withoutChanges).not.toContain("**Changed resources**");
        expect(withoutChanges).toContain("| mandatory | `cost-allocation-tags` |");
    });
});
