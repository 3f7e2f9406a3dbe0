/** An error the plan reports as one paragraph, with its exit code (2: bad usage or configuration). */
export class PlanError extends Error {
    constructor(
        readonly exitCode: 1 | 2,
        message: string,
        /** Extra detail shown with --verbose (the program's stack trace). */
        readonly detail?: string,
    ) {
        super(message);
        this.name = "PlanError";
    }
}
