/**
 * Destroying a stack whose stack file was removed: run from a checkout of the
 * commit that still had the file (its ESC environment and provider settings),
 * in a job a person approves. Every resource whose loss is a one-way door (a
 * stateful one, or one protected) must be accepted in the committed
 * accepted-doors file; protection is lifted from exactly those, then
 * `pulumi destroy` and `pulumi stack rm`.
 */
import { acceptance, type AcceptedDoors } from "pulumi-offline-plan";
import { statefulHolds } from "../../plan.config";
import { tail, type PulumiRunner } from "./pulumi-cli";

export interface DestroyResult {
    stack: string;
    outcome: "destroyed" | "refused" | "failed";
    lines: string[];
}

interface StateResource {
    urn: string;
    type: string;
    protect?: boolean;
    retainOnDelete?: boolean;
}

export async function destroyStack(pulumi: PulumiRunner, organization: string, stack: string, doors: AcceptedDoors, checkout: string): Promise<DestroyResult> {
    const name = `${organization}/${stack}`;
    const exported = await pulumi(["stack", "export", "--stack", name], { cwd: checkout });
    if (exported.code !== 0)
        return { stack, outcome: "failed", lines: [`\`pulumi stack export\` failed (exit ${exported.code}): ${tail(exported.stderr, 5)}`] };
    let resources: StateResource[];
    try {
        resources = (JSON.parse(exported.stdout) as { deployment?: { resources?: StateResource[] } }).deployment?.resources ?? [];
    } catch {
        return { stack, outcome: "failed", lines: ["`pulumi stack export` printed no deployment JSON."] };
    }
    // Kept on delete, a resource outlives the stack: its loss is no door.
    const losses = resources.filter((r) => !r.type.startsWith("pulumi:") && !r.retainOnDelete && (r.protect || statefulHolds(r.type)));
    const refused = losses.filter((r) => !acceptance(doors, stack, r.urn));
    if (refused.length > 0) {
        return {
            stack,
            outcome: "refused",
            lines: [
                `Refused: destroying ${stack} would lose ${refused.length} resource(s) that review did not accept in ${doors.file}; nothing was destroyed:`,
                ...refused.map((r) => `- ${r.type} ${r.urn}${statefulHolds(r.type) ? ` (it ${statefulHolds(r.type)})` : ""}${r.protect ? ", protected" : ""}`),
            ],
        };
    }
    const lines: string[] = [];
    for (const r of losses.filter((x) => x.protect)) {
        const lifted = await pulumi(["state", "unprotect", r.urn, "--stack", name, "--yes"], { cwd: checkout });
        if (lifted.code !== 0)
            return { stack, outcome: "failed", lines: [...lines, `Could not lift protection from ${r.urn} (exit ${lifted.code}): ${tail(lifted.stderr, 5)}`] };
        lines.push(`Lifted protection from ${r.urn}: accepted in ${doors.file}.`);
    }
    const destroyed = await pulumi(["destroy", "--yes", "--stack", name], { cwd: checkout });
    if (destroyed.code !== 0)
        return {
            stack,
            outcome: "failed",
            lines: [...lines, `\`pulumi destroy\` failed (exit ${destroyed.code}):`, "```", tail(destroyed.stderr || destroyed.stdout), "```"],
        };
    lines.push(`Destroyed ${resources.filter((r) => !r.type.startsWith("pulumi:")).length} resource(s).`);
    const removed = await pulumi(["stack", "rm", "--yes", "--stack", name], { cwd: checkout });
    if (removed.code !== 0)
        return { stack, outcome: "failed", lines: [...lines, `\`pulumi stack rm\` failed (exit ${removed.code}): ${tail(removed.stderr, 5)}`] };
    lines.push(`Removed the stack ${name}.`);
    return { stack, outcome: "destroyed", lines };
}
