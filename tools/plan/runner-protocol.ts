import type { CapturedResource } from "./capture";

/** What the plan sends its runner process: one stack of one program. */
export interface RunnerJob {
    programDir: string;
    /** The entry point as the language host receives it: Pulumi.yaml `main:` or ".". */
    program: string;
    project: string;
    stack: string;
    organization?: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** Outputs of referenced stacks, by fully qualified or short stack name. */
    stackReferences: Record<string, Record<string, unknown>>;
}

export type RunnerResult =
    | { ok: true; resources: CapturedResource[]; outputs: Record<string, unknown> }
    | { ok: false; kind: "setup" | "program"; error: { name: string; message: string; stack?: string } };
