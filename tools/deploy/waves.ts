/**
 * The order the deploy applies stacks in, made explicit: waves. Every stack of
 * an earlier environment (dev) comes before any of a later one (prod), so a
 * change reaches prod only after it went through dev; inside an environment, a
 * stack comes in a later wave than every stack it reads with StackReference.
 * A wave starts only after every stack of the last one was updated and
 * verified; the bot applies the stacks of a wave one at a time.
 */
import { environments } from "../../components/contracts";
import { dependencies, type StackInfo } from "../affected-stacks";

export interface Wave {
    /** 1-based, in the order the waves run. */
    number: number;
    environment: string;
    /** Stack names, sorted. */
    stacks: string[];
    /** The Pulumi project's folder, relative to the repository, when it is not the root's (the links stacks: stacks/links). */
    project?: string;
}

/** A configuration the deploy cannot order: a reference cycle, or a stack that reads one of a later environment. */
export class WaveError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WaveError";
    }
}

/** The rank of an environment: its place in the contracts' list; an unknown one goes last. */
function rank(environment: string | undefined): number {
    const i = (environments as readonly string[]).indexOf(environment ?? "");
    return i < 0 ? environments.length : i;
}

/**
 * The waves of the named stacks, given every stack of the project (references
 * to stacks this run does not apply still order nothing: those stacks are as
 * they were, already verified).
 */
export function planWaves(all: StackInfo[], names: string[]): Wave[] {
    const byName = new Map(all.map((s) => [s.name, s]));
    const deps = dependencies(all);
    const wanted = new Set(names);
    for (const name of names) {
        if (!byName.has(name)) throw new WaveError(`No stack file stacks/Pulumi.${name}.yaml: it cannot be deployed.`);
        for (const d of deps.get(name) ?? []) {
            if (rank(byName.get(d)!.environment) > rank(byName.get(name)!.environment)) {
                throw new WaveError(
                    `${name} (${byName.get(name)!.environment}) reads ${d} (${byName.get(d)!.environment}) through multicloud:references: ` +
                        `a stack may read only stacks of its own or an earlier environment (${environments.join(" before ")}).`,
                );
            }
        }
    }
    // Depth within the run: 0 for a stack that reads no stack of this run, else one more than the deepest it reads.
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (name: string, trail: string[]): number => {
        if (depth.has(name)) return depth.get(name)!;
        if (visiting.has(name)) throw new WaveError(`Stack references form a cycle: ${[...trail, name].join(" -> ")}.`);
        visiting.add(name);
        const own = byName.get(name)!;
        const inRun = [...(deps.get(name) ?? [])].filter((d) => wanted.has(d) && byName.get(d)!.environment === own.environment);
        const d = inRun.length === 0 ? 0 : 1 + Math.max(...inRun.map((x) => depthOf(x, [...trail, name])));
        visiting.delete(name);
        depth.set(name, d);
        return d;
    };
    const keyed = names.map((name) => ({ name, environment: byName.get(name)!.environment ?? "unknown", depth: depthOf(name, []) }));
    const order = [...new Set(keyed.map((k) => `${rank(k.environment)}|${String(k.depth).padStart(4, "0")}|${k.environment}`))].sort();
    return order.map((key, i) => {
        const [, depthText, environment] = key.split("|");
        return {
            number: i + 1,
            environment,
            stacks: keyed
                .filter((k) => k.environment === environment && k.depth === Number(depthText))
                .map((k) => k.name)
                .sort(),
        };
    });
}
