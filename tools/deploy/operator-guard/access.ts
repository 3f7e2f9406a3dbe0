/**
 * Everything the guard asks of the Kubernetes API, as RBAC rules of the
 * namespace it runs in: list and patch the Operator's Stack objects, create
 * Events. The gitops program grants exactly these; the guard's tests fail when
 * a call it makes is not among them.
 */
export const guardRules = [
    { apiGroups: ["pulumi.com"], resources: ["stacks"], verbs: ["list", "patch"] },
    { apiGroups: [""], resources: ["events"], verbs: ["create"] },
];
