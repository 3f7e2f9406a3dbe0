/**
 * Alibaba Cloud load balancer listeners: ALB, NLB and CLB (SLB). TLS policies are
 * judged by the oldest protocol they admit (the table in ../tls.ts, or the
 * `tlsVersions` of a custom policy); plain HTTP may only redirect to HTTPS.
 *
 * An ALB listener cannot redirect by itself (its default action only forwards): an
 * HTTP listener redirects through alb.Rule resources attached to it, so these are
 * stack policies that follow each rule to its listener through its dependencies.
 */
import { UnknownValueError, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { alicloudDefaultTlsPolicy, alicloudTlsPolicies, atLeast, lookupTlsPolicy, oldestOf } from "../tls";
import { baseline } from "../controls";
import { validateTyped, type Plain } from "../typed";
import type { RuleArgs, SecurityPolicyArgs as AlbSecurityPolicyArgs } from "@pulumi/alicloud/alb";
import type { SecurityPolicyArgs as NlbSecurityPolicyArgs } from "@pulumi/alicloud/nlb";
import type { TlsCipherPolicyArgs } from "@pulumi/alicloud/slb";

const albListener = "alicloud:alb/listener:Listener";
const albRule = "alicloud:alb/rule:Rule";
const nlbListener = "alicloud:nlb/listener:Listener";
const slbListener = "alicloud:slb/listener:Listener";
const customTlsPolicyTypes = new Set([
    "alicloud:alb/securityPolicy:SecurityPolicy",
    "alicloud:nlb/securityPolicy:SecurityPolicy",
    "alicloud:slb/tlsCipherPolicy:TlsCipherPolicy",
]);

/** Runs a check of one resource; a value the preview cannot know skips that resource only. */
function judgeKnown(check: () => void): void {
    try {
        check();
    } catch (e) {
        if (!(e instanceof UnknownValueError)) throw e;
    }
}

const dependenciesOf = (r: PolicyResource): PolicyResource[] => [...r.dependencies, ...Object.values(r.propertyDependencies ?? {}).flat()];

/** The name of the TLS policy a listener uses, when it terminates TLS. */
function tlsPolicyName(r: PolicyResource): string | undefined {
    const p = r.props;
    if (r.type === albListener && String(p.listenerProtocol).toUpperCase() === "HTTPS") return String(p.securityPolicyId ?? alicloudDefaultTlsPolicy);
    if (r.type === nlbListener && String(p.listenerProtocol).toUpperCase() === "TCPSSL") return String(p.securityPolicyId ?? alicloudDefaultTlsPolicy);
    if (r.type === slbListener && String(p.protocol).toLowerCase() === "https") return String(p.tlsCipherPolicy ?? alicloudDefaultTlsPolicy);
    return undefined;
}

export const listenerTls12: StackValidationPolicy = {
    name: "alicloud-lb-listener-tls-1-2",
    description:
        "HTTPS (ALB, CLB) and TCPSSL (NLB) listeners must use a TLS policy whose oldest protocol is TLS 1.2, e.g. tls_cipher_policy_1_2_strict_with_1_3; left out, they use tls_cipher_policy_1_0, and a custom policy of the stack is judged by its own `tlsVersions`.",
    severity: "high",
    framework: baseline("alicloud-lb-listener-tls-1-2", "Load balancer listeners refuse TLS 1.0 and 1.1."),
    remediationSteps: "Set `securityPolicyId` (ALB, NLB) or `tlsCipherPolicy` (CLB) to tls_cipher_policy_1_2_strict_with_1_3.",
    url: "https://www.alibabacloud.com/help/en/slb/application-load-balancer/user-guide/tls-security-policies",
    tags: ["alicloud", "load-balancing", "encryption-in-transit", `type:${albListener}`, `type:${nlbListener}`, `type:${slbListener}`],
    validateStack: (args, reportViolation) => {
        for (const r of args.resources) {
            judgeKnown(() => {
                if (dependenciesOf(r).some((d) => customTlsPolicyTypes.has(d.type))) return; // judged by alicloud-tls-custom-policy-1-2
                const name = tlsPolicyName(r);
                if (name === undefined) return;
                const policy = lookupTlsPolicy(alicloudTlsPolicies, name);
                if (!policy)
                    reportViolation(
                        `${r.name} uses the TLS policy "${name}", which is neither a system policy in policies/tls.ts nor a custom policy of this stack.`,
                        r.urn,
                    );
                else if (!atLeast(policy.oldest, "TLSv1.2")) reportViolation(`${r.name} uses ${name}, which admits ${policy.oldest}.`, r.urn);
            });
        }
    },
};

export const customTlsPolicy12: ResourceValidationPolicy = {
    name: "alicloud-tls-custom-policy-1-2",
    description: "Custom TLS policies (ALB and NLB security policies, CLB TLS cipher policies) must list only TLSv1.2 and TLSv1.3 in `tlsVersions`.",
    severity: "high",
    framework: baseline("alicloud-tls-custom-policy-1-2", "Load balancer listeners refuse TLS 1.0 and 1.1."),
    remediationSteps: 'Set `tlsVersions: ["TLSv1.2", "TLSv1.3"]` and ciphers those versions support.',
    url: "https://www.alibabacloud.com/help/en/slb/application-load-balancer/user-guide/tls-security-policies",
    tags: ["alicloud", "load-balancing", "encryption-in-transit", ...[...customTlsPolicyTypes].map((t) => `type:${t}`)],
    validateResource: validateTyped<AlbSecurityPolicyArgs | NlbSecurityPolicyArgs | TlsCipherPolicyArgs>(
        [...customTlsPolicyTypes],
        (props, _args, reportViolation) => {
            const versions: unknown[] = props.tlsVersions ?? [];
            const oldest = oldestOf(versions);
            if (!oldest) reportViolation(`The TLS policy lists versions that are not TLS protocol versions: ${versions.join(", ") || "none"}.`);
            else if (!atLeast(oldest, "TLSv1.2")) reportViolation(`The TLS policy admits ${oldest}.`);
        },
    ),
};

/** An ALB rule action list that ends in a redirect to HTTPS and never serves the request. */
function redirectsToHttps(actions: Plain<RuleArgs>["ruleActions"]): boolean {
    const serves = actions.some((a) => ["ForwardGroup", "FixedResponse"].includes(a.type));
    const redirect = actions.some((a) => a.type === "Redirect" && (a.redirectConfig?.protocol ?? "${protocol}").toUpperCase() === "HTTPS");
    return redirect && !serves;
}

/** A rule whose only conditions match every path. */
const matchesEverything = (conditions: Plain<RuleArgs>["ruleConditions"]): boolean =>
    conditions.length > 0 && conditions.every((c) => c.type === "Path" && (c.pathConfig?.values ?? []).includes("/*"));

export const httpListenerRedirectsToHttps: StackValidationPolicy = {
    name: "alicloud-lb-http-redirects-to-https",
    description:
        'Plain-HTTP listeners may only redirect to HTTPS: an ALB HTTP listener needs an alb.Rule that redirects every path ("/*") to HTTPS, and no rule of it may forward or answer; a CLB HTTP listener needs `listenerForward: "on"` with the HTTPS `forwardPort`.',
    severity: "high",
    framework: baseline("alicloud-lb-http-redirects-to-https", "Plain HTTP only redirects to HTTPS."),
    remediationSteps:
        'ALB: attach an alicloud.alb.Rule with a Path condition "/*" and a Redirect action with `protocol: "HTTPS"`, `port: "443"`. CLB: set `listenerForward: "on"` and `forwardPort: 443`.',
    url: "https://www.alibabacloud.com/help/en/slb/application-load-balancer/use-cases/redirect-http-requests-to-https",
    tags: ["alicloud", "load-balancing", "encryption-in-transit", `type:${albListener}`, `type:${albRule}`, `type:${slbListener}`],
    validateStack: (args, reportViolation) => {
        const rulesByListener = new Map<string, PolicyResource[]>();
        for (const rule of args.resources.filter((r) => r.type === albRule)) {
            for (const d of dependenciesOf(rule).filter((d) => d.type === albListener))
                rulesByListener.set(d.urn, [...(rulesByListener.get(d.urn) ?? []), rule]);
        }
        for (const r of args.resources) {
            judgeKnown(() => {
                if (r.type === slbListener && String(r.props.protocol).toLowerCase() === "http") {
                    if (String(r.props.listenerForward ?? "off").toLowerCase() !== "on")
                        reportViolation(`${r.name} serves plain HTTP instead of forwarding it to the HTTPS listener.`, r.urn);
                }
                if (r.type !== albListener || String(r.props.listenerProtocol).toUpperCase() !== "HTTP") return;
                const rules = rulesByListener.get(r.urn) ?? [];
                for (const rule of rules) {
                    judgeKnown(() => {
                        if (!redirectsToHttps(rule.props.ruleActions ?? []))
                            reportViolation(
                                `The rule ${rule.name} of the HTTP listener ${r.name} serves requests instead of redirecting them to HTTPS.`,
                                rule.urn,
                            );
                    });
                }
                const catchAll = rules.some((rule) => {
                    try {
                        return redirectsToHttps(rule.props.ruleActions ?? []) && matchesEverything(rule.props.ruleConditions ?? []);
                    } catch (e) {
                        if (e instanceof UnknownValueError) return true; // not known yet: not reported as missing
                        throw e;
                    }
                });
                if (!catchAll) reportViolation(`${r.name} serves plain HTTP: no rule redirects every path to HTTPS.`, r.urn);
            });
        }
    },
};
