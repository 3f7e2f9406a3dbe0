/**
 * Elastic Load Balancing v2 (ALB and NLB): listeners, listener rules and the load
 * balancers themselves. TLS policies are judged by the oldest protocol they admit,
 * from the table in ../tls.ts.
 */
import { UnknownValueError, type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { atLeast, awsElbDefaultTlsPolicy, awsElbTlsPolicies, lookupTlsPolicy } from "../tls";
import { baseline, cites, framework } from "../controls";
import { isSet } from "./values";
import { validateTyped, type Plain } from "../typed";
import type { ListenerArgs as AlbListenerArgs, ListenerRuleArgs as AlbListenerRuleArgs, LoadBalancerArgs as AlbLoadBalancerArgs } from "@pulumi/aws/alb";
import type { ListenerArgs as LbListenerArgs, ListenerRuleArgs as LbListenerRuleArgs, LoadBalancerArgs as LbLoadBalancerArgs } from "@pulumi/aws/lb";

/** aws.alb.LoadBalancer is the older name of aws.lb.LoadBalancer; both take the same inputs (so do their listeners and rules). */
type LoadBalancerArgs = LbLoadBalancerArgs | AlbLoadBalancerArgs;
type ListenerArgs = LbListenerArgs | AlbListenerArgs;
type ListenerRuleArgs = LbListenerRuleArgs | AlbListenerRuleArgs;

/** A listener's default action or a rule's action. */
type Action = NonNullable<Plain<ListenerArgs>["defaultActions"]>[number] | Plain<ListenerRuleArgs>["actions"][number];

const listenerTypes = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const listenerRuleTypes = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
const loadBalancerTypes = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** ALB listeners speak HTTP when `protocol` is left out. */
const protocolOf = (props: Pick<Plain<ListenerArgs>, "protocol">): string => (props.protocol ?? "HTTP").toUpperCase();

/** A redirect is safe only when it goes to HTTPS (left out, it keeps the request's protocol). */
const redirectsToHttps = (action: Action | undefined): boolean =>
    action?.type === "redirect" && (action.redirect?.protocol ?? "#{protocol}").toUpperCase() === "HTTPS";

export const listenerHttpRedirectsToHttps: ResourceValidationPolicy = {
    name: "aws-lb-listener-http-redirects-to-https",
    description:
        'A plain-HTTP listener (protocol HTTP, or left out on an ALB) may only redirect to HTTPS: every default action must be `redirect` with `protocol: "HTTPS"`.',
    severity: "high",
    framework: framework("aws-securityhub:ELB.1"),
    remediationSteps:
        'Set `defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]`, and serve the application on an HTTPS listener.',
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
    tags: [
        "aws",
        "load-balancing",
        "encryption-in-transit",
        ...cites("aws-securityhub:ELB.1", "checkov:CKV_AWS_2", "tfsec:aws-elb-http-not-used"),
        ...listenerTypes.map((t) => `type:${t}`),
    ],
    validateResource: (args, reportViolation) => {
        if (!listenerTypes.includes(args.type) || protocolOf(args.props) !== "HTTP") return;
        const actions: Action[] = args.props.defaultActions ?? [];
        if (actions.length === 0 || !actions.every(redirectsToHttps))
            reportViolation("The HTTP listener serves requests instead of redirecting them to HTTPS.");
    },
};

/** The named policy an HTTPS or TLS listener uses, or undefined for other listeners. */
function tlsPolicyOf(args: ResourceValidationArgs) {
    if (!listenerTypes.includes(args.type) || !["HTTPS", "TLS"].includes(protocolOf(args.props))) return undefined;
    const name = String(args.props.sslPolicy ?? awsElbDefaultTlsPolicy);
    return { name, policy: lookupTlsPolicy(awsElbTlsPolicies, name) };
}

export const listenerTls12: ResourceValidationPolicy = {
    name: "aws-lb-listener-tls-1-2",
    description:
        "HTTPS and TLS listeners must use a security policy whose oldest protocol is TLS 1.2 (a TLS13-1-2 policy is preferred); left out, the provider uses ELBSecurityPolicy-2016-08, which admits TLS 1.0.",
    severity: "high",
    framework: baseline("aws-lb-listener-tls-1-2", "Load balancer listeners refuse TLS 1.0 and 1.1."),
    remediationSteps: 'Set `sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another TLS 1.2+ policy listed in policies/tls.ts).',
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    // tfsec's aws-elb-use-secure-tls-policy also refuses the TLS 1.2 policies with CBC ciphers (TLS13-1-2-Ext1, -Ext2), which this policy admits.
    tags: ["aws", "load-balancing", "encryption-in-transit", ...cites("checkov:CKV_AWS_103"), ...listenerTypes.map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        const tls = tlsPolicyOf(args);
        if (!tls) return;
        if (!tls.policy)
            reportViolation(`The security policy "${tls.name}" is not a known ELB policy (see policies/tls.ts); its oldest protocol cannot be checked.`);
        else if (!atLeast(tls.policy.oldest, "TLSv1.2")) reportViolation(`The security policy ${tls.name} admits ${tls.policy.oldest}.`);
    },
};

export const listenerTls13Preferred: ResourceValidationPolicy = {
    name: "aws-lb-listener-tls-1-3-preferred",
    description: "HTTPS and TLS listeners should use a policy that offers TLS 1.3 (ELBSecurityPolicy-TLS13-1-2-2021-06 or newer).",
    severity: "low",
    framework: baseline("aws-lb-listener-tls-1-3-preferred", "Load balancer listeners offer TLS 1.3."),
    remediationSteps: "Move `sslPolicy` to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a TLS13 policy with PQ key exchange).",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    tags: ["aws", "load-balancing", "encryption-in-transit", ...listenerTypes.map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        const tls = tlsPolicyOf(args);
        if (tls?.policy && atLeast(tls.policy.oldest, "TLSv1.2") && !tls.policy.tls13)
            reportViolation(`The security policy ${tls.name} does not offer TLS 1.3.`);
    },
};

export const httpListenerRulesRedirect: StackValidationPolicy = {
    name: "aws-lb-http-listener-rules-redirect-to-https",
    description: "A rule on a plain-HTTP listener may only redirect to HTTPS; a rule that forwards or answers would serve that path over HTTP.",
    severity: "high",
    framework: framework("aws-securityhub:ELB.1"),
    remediationSteps: 'Attach the rule to the HTTPS listener, or make its action `redirect` with `protocol: "HTTPS"`.',
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html",
    tags: ["aws", "load-balancing", "encryption-in-transit", ...cites("aws-securityhub:ELB.1"), ...listenerRuleTypes.map((t) => `type:${t}`)],
    validateStack: (args, reportViolation) => {
        for (const rule of args.resources.filter((r) => listenerRuleTypes.includes(r.type))) {
            try {
                const listener = [...rule.dependencies, ...Object.values(rule.propertyDependencies ?? {}).flat()].find((d) => listenerTypes.includes(d.type));
                if (!listener || protocolOf(listener.props) !== "HTTP") continue;
                const actions: Action[] = rule.props.actions ?? [];
                if (!actions.every(redirectsToHttps))
                    reportViolation(
                        `The rule ${rule.name} on the HTTP listener ${listener.name} serves requests instead of redirecting them to HTTPS.`,
                        rule.urn,
                    );
            } catch (e) {
                if (!(e instanceof UnknownValueError)) throw e;
            }
        }
    },
};

/** ELBv2 load balancers are application load balancers unless `loadBalancerType` says otherwise. */
const lbTypeOf = (props: Plain<LoadBalancerArgs>): string => props.loadBalancerType ?? "application";

export const loadBalancerDropsInvalidHeaders: ResourceValidationPolicy = {
    name: "aws-lb-drop-invalid-header-fields",
    description:
        "Application load balancers must drop invalid HTTP header fields (`dropInvalidHeaderFields: true`; off by default), closing a request-smuggling path.",
    severity: "medium",
    framework: framework("aws-securityhub:ELB.4"),
    remediationSteps: "Set `dropInvalidHeaderFields: true` on the aws.lb.LoadBalancer.",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
    tags: [
        "aws",
        "load-balancing",
        ...cites("aws-securityhub:ELB.4", "checkov:CKV_AWS_131", "tfsec:aws-elb-drop-invalid-headers"),
        ...loadBalancerTypes.map((t) => `type:${t}`),
    ],
    validateResource: validateTyped<LoadBalancerArgs>(loadBalancerTypes, (props, _args, reportViolation) => {
        if (lbTypeOf(props) === "application" && props.dropInvalidHeaderFields !== true) {
            reportViolation("The application load balancer forwards requests with invalid header fields.");
        }
    }),
};

export const loadBalancerDeletionProtection: ResourceValidationPolicy = {
    name: "aws-lb-deletion-protection",
    description: "Load balancers must have deletion protection on (`enableDeletionProtection: true`); dev may relax this.",
    severity: "medium",
    framework: framework("aws-securityhub:ELB.6"),
    remediationSteps: "Set `enableDeletionProtection: true` on the aws.lb.LoadBalancer.",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
    tags: ["aws", "load-balancing", "one-way-door", ...cites("aws-securityhub:ELB.6", "checkov:CKV_AWS_150"), ...loadBalancerTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<LoadBalancerArgs>(loadBalancerTypes, (props, _args, reportViolation) => {
        if (props.enableDeletionProtection !== true) reportViolation("The load balancer can be deleted without first turning deletion protection off.");
    }),
};

export const loadBalancerAccessLogs: ResourceValidationPolicy = {
    name: "aws-lb-access-logs",
    description:
        "Application and network load balancers must write access logs (`accessLogs: { bucket, enabled: true }`; `enabled` defaults to false even with a bucket); dev may relax this.",
    severity: "medium",
    framework: framework("aws-securityhub:ELB.5"),
    remediationSteps: "Set `accessLogs: { bucket: <log bucket>, prefix: <name>, enabled: true }` on the aws.lb.LoadBalancer.",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
    tags: ["aws", "load-balancing", "logging", ...cites("aws-securityhub:ELB.5", "checkov:CKV_AWS_91"), ...loadBalancerTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<LoadBalancerArgs>(loadBalancerTypes, (props, _args, reportViolation) => {
        if (lbTypeOf(props) === "gateway") return;
        const logs = props.accessLogs;
        if (logs?.enabled !== true || !isSet(logs, "bucket")) reportViolation("The load balancer writes no access logs.");
    }),
};
