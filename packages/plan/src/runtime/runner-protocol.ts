import type { CapturedResource } from "./capture";
import type { LocalProvider } from "../project";

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
    /** Component providers whose code the project points at, by package: the plan builds their components itself. */
    localProviders?: Record<string, LocalProvider>;
    /** Keep JavaScript stack traces (slower); the plan asks for them only to locate a program's error. */
    withStackTraces?: boolean;
    /** Wait for another job after this one, if the program ran to its end. */
    stay?: boolean;
}

/** Sent as the program registers each resource, before the result: the plan judges it meanwhile. */
export interface RunnerResource {
    kind: "resource";
    resource: CapturedResource;
}

/** The end of a job: every resource was sent before it. */
export type RunnerResult =
    | { ok: true; outputs: Record<string, unknown>; calls: { token: string; standIn: boolean; standInFor: string[] }[]; stats: RunnerStats }
    | {
          ok: false;
          kind: "setup" | "program";
          /** A `pulumi.RunError`: the program's own message for the user, shown without a location (as the CLI does). */
          runError?: boolean;
          error: { name: string; message: string; stack?: string };
      };

export type RunnerMessage = RunnerResource | RunnerResult;

/** What the runner measured of itself, for benchmarks. */
export interface RunnerStats {
    /** Peak resident memory of the runner process, in KiB. */
    maxRssKb: number;
    /** Time from receiving the job to the program's last registration, in ms. */
    programMs: number;
}
