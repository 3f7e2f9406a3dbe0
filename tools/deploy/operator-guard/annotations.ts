/**
 * The annotations through which the gitops program, the guard and the people who
 * operate the private cloud talk about an Operator `Stack` object. Each sits under
 * `multicloud.<companyDomain>/`.
 */
export const annotationNames = {
    /** Set by the gitops program: the URL whose answer says whether the stack's workload serves. */
    healthUrl: "health-url",
    /** Set by the gitops program: the branch the object follows whenever it is not pinned. */
    followsBranch: "follows-branch",
    /** Set by the gitops program on a drift-check object: the applying object it checks. */
    driftOf: "drift-of",
    /** Set by the guard: the last commit that updated and then answered healthy, and when. */
    lastGoodCommit: "last-good-commit",
    lastGoodAt: "last-good-at",
    /** Set by the guard when it pins; removed by a person to let the object follow its branch again. */
    pinnedCommit: "pinned-commit",
    pinnedAt: "pinned-at",
    pinnedReason: "pinned-reason",
    /** Set by the guard: the failure it last reported, so a failure is reported once, not every run. */
    reported: "reported",
} as const;

export type AnnotationKeys = { [K in keyof typeof annotationNames]: string };

export function annotationKeys(domain: string): AnnotationKeys {
    return Object.fromEntries(Object.entries(annotationNames).map(([k, v]) => [k, `${domain}/${v}`])) as AnnotationKeys;
}
