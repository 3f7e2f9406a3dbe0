/**
 * The GitHub workflows: each passes @action-validator/cli, and each keeps the
 * properties that matter (no secrets on the fork-safe plan, one updated comment,
 * OIDC only, dependency order, one update per stack at a time).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".github/workflows");
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const load = (file: string) => parse(read(file));
const runs = (job: any): string => job.steps.map((s: any) => s.run ?? "").join("\n");
const uses = (job: any): string[] => job.steps.map((s: any) => s.uses).filter(Boolean);

test.each(files)("%s passes action-validator", (file) => {
    expect(() => execFileSync(path.join(root, "node_modules/.bin/action-validator"), [path.join(dir, file)], { stdio: "pipe" })).not.toThrow();
});

test("no workflow holds a long-lived cloud key", () => {
    for (const file of files) expect(read(file)).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key|credentials_json|ALICLOUD_ACCESS_KEY|PULUMI_ACCESS_TOKEN/);
});

describe("pull-request.yml", () => {
    const wf = load("pull-request.yml");
    const plan = wf.jobs.plan;

    test("runs on pull requests: install, test, affected stacks, the offline plan with Markdown", () => {
        expect(Object.keys(wf.on)).toEqual(["pull_request"]);
        expect(runs(plan)).toMatch(/npm ci/);
        expect(runs(plan)).toMatch(/npm test/);
        expect(runs(plan)).toMatch(/tools\/affected-stacks\.ts/);
        expect(runs(plan)).toMatch(/npm run plan -- \$\{\{ steps\.affected\.outputs\.args \}\} .*--markdown comment\.md/);
        expect(runs(plan)).toMatch(/--base base-plan\.json/);
    });

    test("the offline plan uses no secrets, so it runs on forks", () => {
        expect(JSON.stringify(plan)).not.toMatch(/secrets\./);
        expect(wf.on.pull_request_target).toBeUndefined();
    });

    test("one comment, updated on every push", () => {
        const comment = plan.steps.find((s: any) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment"));
        expect(comment.with.header).toBeTruthy();
        expect(comment.with.path).toBe("comment.md");
        expect(plan.steps.filter((s: any) => /comment/.test(String(s.uses)))).toHaveLength(1);
    });

    test("pulumi preview with the policy pack only where credentials exist (not forks, organization configured)", () => {
        const preview = wf.jobs.preview;
        expect(runs(preview)).toMatch(/pulumi preview --diff --policy-pack policies/);
        expect(preview.if).toMatch(/head\.repo\.full_name == github\.repository/);
        expect(preview.if).toMatch(/vars\.PULUMI_ORGANIZATION != ''/);
        expect(preview.permissions["id-token"]).toBe("write");
        expect(uses(preview)).toContain("pulumi/auth-actions@v1");
    });
});

describe("deploy.yml", () => {
    const wf = load("deploy.yml");
    const up = wf.jobs.up;

    test("on push to main: pulumi up --yes with the policy pack per affected stack", () => {
        expect(wf.on.push.branches).toEqual(["main"]);
        expect(runs(wf.jobs.affected)).toMatch(/tools\/affected-stacks\.ts --base/);
        expect(runs(up)).toMatch(/pulumi up --yes --policy-pack policies/);
        expect(up.strategy.matrix.stack).toBe("${{ fromJSON(needs.affected.outputs.stacks) }}");
    });

    test("in dependency order, one stack at a time, one run per stack (concurrency group per stack, never cancelled)", () => {
        expect(up.strategy["max-parallel"]).toBe(1);
        expect(up.strategy["fail-fast"]).toBe(true);
        expect(up.concurrency.group).toBe("pulumi-up-${{ matrix.stack.name }}");
        expect(up.concurrency["cancel-in-progress"]).toBe(false);
    });

    test("credentials through OIDC only: Pulumi token, AWS role, GCP workload identity", () => {
        expect(up.permissions["id-token"]).toBe("write");
        expect(uses(up)).toEqual(expect.arrayContaining(["pulumi/auth-actions@v1", "aws-actions/configure-aws-credentials@v4", "google-github-actions/auth@v2"]));
        const step = (prefix: string) => up.steps.find((s: any) => String(s.uses).startsWith(prefix));
        expect(step("aws-actions/configure-aws-credentials").with["role-to-assume"]).toBeTruthy();
        expect(step("google-github-actions/auth").with.workload_identity_provider).toBeTruthy();
        expect(JSON.stringify(up)).not.toMatch(/secrets\./);
    });
});
