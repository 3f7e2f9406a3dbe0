/**
 * Stacks a change creates or removes: a stack file added since the base makes a
 * new stack at deploy time; a stack file removed means its stack is to be
 * destroyed, after a person approves it. Read from git, so the pull request's
 * comment and the deploy agree on it.
 */
import { execFileSync } from "node:child_process";
import { privateClouds, stackInfoOf, type StackInfo } from "../affected-stacks";

export interface Lifecycle {
    /** Stack files added since the base: their stacks do not exist yet. */
    created: StackInfo[];
    /** Stack files removed since the base, as the base had them. */
    removed: StackInfo[];
}

const stackFile = /^stacks\/Pulumi\.(.+)\.ya?ml$/;

export function stackLifecycle(root: string, base: string, head = "HEAD"): Lifecycle {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const changes = git("diff", "--name-status", "--no-renames", `${base}...${head}`, "--", "stacks")
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("\t"));
    const named = (status: string) =>
        changes.filter(([s, file]) => s === status && stackFile.test(file)).map(([, file]) => ({ file, name: stackFile.exec(file)![1] }));
    return {
        created: named("A").map(({ file, name }) => stackInfoOf(name, git("show", `${head}:${file}`))),
        removed: named("D").map(({ file, name }) => stackInfoOf(name, git("show", `${base}:${file}`))),
    };
}

export const onPrivateCloud = (s: StackInfo) => s.clouds.some((c) => privateClouds.includes(c));

/** The pull request's word on stacks it creates or destroys, for its comment. */
export function lifecycleMarkdown(lifecycle: Lifecycle): string {
    if (lifecycle.created.length === 0 && lifecycle.removed.length === 0) return "";
    const out = ["### Stacks created or destroyed by this change", ""];
    for (const s of lifecycle.created) {
        out.push(
            `- **${s.name}** is new: the deploy creates the stack (\`pulumi stack select --create\`) before its first update. The offline plan above shows every resource as a create; the credentialed preview skips it, since previewing a stack that does not exist would create it.`,
        );
    }
    for (const s of lifecycle.removed) {
        out.push(
            onPrivateCloud(s)
                ? `- **${s.name}** is removed: its stack runs on the private cloud; the Operator's Stack object goes with the gitops stack's next update, and its resources are destroyed from inside the cluster (docs/private-cloud.md).`
                : `- **${s.name}** is removed: after merge the deploy destroys it (\`pulumi destroy\`, then \`pulumi stack rm\`) once a person approves the \`destroy\` environment. Every stateful or protected resource it holds must be accepted in \`deploy/accepted-doors.yaml\` first, or the destroy is refused.`,
        );
    }
    return out.join("\n") + "\n";
}
