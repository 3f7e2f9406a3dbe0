/**
 * The plan's exit codes (README.md, "Exit codes"):
 * 0 clean; 1 a mandatory violation, a blocked one-way door, or a change under
 * --expect-no-changes; 2 bad usage or configuration, or a program that throws;
 * 3 the plan itself failed (a fault of this tool); 4 a policy pack failed (it
 * exited, threw, or gave no answer within --policy-timeout).
 */
export const ExitCode = { clean: 0, blocked: 1, badInput: 2, planFault: 3, packFault: 4 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the plan reports as one paragraph, with its exit code. */
export class PlanError extends Error {
    constructor(
        readonly exitCode: 1 | 2 | 4,
        message: string,
        /** Extra detail shown with --verbose (the program's stack trace). */
        readonly detail?: string,
    ) {
        super(message);
        this.name = "PlanError";
    }
}
