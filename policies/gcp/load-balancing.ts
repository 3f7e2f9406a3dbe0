import type { ResourceValidationPolicy } from "@pulumi/policy";
import type {
    BackendServiceArgs,
    RegionBackendServiceArgs,
    RegionSslPolicyArgs,
    RegionTargetHttpsProxyArgs,
    SSLPolicyArgs,
    TargetHttpsProxyArgs,
    TargetSSLProxyArgs,
} from "@pulumi/gcp/compute";
import { validateTyped } from "../typed";
import { readKnown } from "../stack/resources";
import { notKnown } from "../catalog/tags";
import { cites, framework } from "../controls";

/** Whether a property is set to a value a preview cannot know yet. */
const isUnknown = (props: object, key: string) => readKnown(() => (props as Record<string, unknown>)[key]) === notKnown;

const sslPolicyTypes = ["gcp:compute/sSLPolicy:SSLPolicy", "gcp:compute/regionSslPolicy:RegionSslPolicy"];
const tlsProxyTypes = [
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
    "gcp:compute/targetSSLProxy:TargetSSLProxy",
];

/**
 * The oldest TLS version each of GCP's named minimum versions admits. A policy
 * that leaves `minTlsVersion` out gets TLS_1_0, and a proxy with no SSL policy
 * gets GCP's default policy (COMPATIBLE, TLS 1.0).
 */
export const gcpMinTlsVersions: Record<string, number> = { TLS_1_0: 1.0, TLS_1_1: 1.1, TLS_1_2: 1.2, TLS_1_3: 1.3 };
const gcpDefaultMinTls = "TLS_1_0";

/**
 * The profiles CIS GCP 3.9 accepts at TLS 1.2: MODERN and RESTRICTED, or CUSTOM when
 * its `customFeatures` enable none of the weak suites it names, all of them RSA key
 * exchange (TLS_RSA_*). COMPATIBLE, the profile when `profile` is left out, admits
 * the widest range of weak suites.
 */
const profilesWithoutWeakSuites = new Set(["MODERN", "RESTRICTED"]);
const knownProfiles = new Set(["COMPATIBLE", "MODERN", "RESTRICTED", "CUSTOM"]);
const gcpDefaultProfile = "COMPATIBLE";
const isWeakSuite = (feature: unknown) => /^TLS_RSA_/i.test(String(feature).trim());

const sslPolicy = "gcp:compute/sSLPolicy:SSLPolicy";

export const gcpSslPolicyTls12: ResourceValidationPolicy = {
    name: "gcp-ssl-policy-tls12",
    description:
        "GCP SSL policies must admit TLS 1.2 or later only (`minTlsVersion` TLS_1_2 or TLS_1_3; left out it is TLS 1.0) and no weak cipher suite (`profile` MODERN or RESTRICTED, or CUSTOM without TLS_RSA_* features; left out it is COMPATIBLE), and HTTPS/SSL proxies must name an SSL policy (without one GCP admits TLS 1.0).",
    severity: "high",
    framework: framework("cis-gcp:3.9"),
    remediationSteps:
        'Create a gcp.compute.SSLPolicy with `minTlsVersion: "TLS_1_2"` and `profile: "MODERN"` (or "RESTRICTED") and set `sslPolicy` on every target HTTPS/SSL proxy.',
    url: "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts",
    tags: [
        "gcp",
        "network",
        "encryption",
        ...[...sslPolicyTypes, ...tlsProxyTypes].map((t) => `type:${t}`),
        // Checkov and Trivy judge google_compute_ssl_policy, not the regional SSL policy or the proxies.
        ...cites(
            "cis-gcp:3.9",
            { control: "checkov:CKV_GCP_4", types: [sslPolicy] },
            { control: "tfsec:google-compute-use-secure-tls-policy", types: [sslPolicy] },
        ),
    ],
    validateResource: [
        validateTyped<SSLPolicyArgs | RegionSslPolicyArgs>(sslPolicyTypes, (props, _args, reportViolation) => {
            const named = (props.minTlsVersion ?? gcpDefaultMinTls).toUpperCase();
            const oldest = gcpMinTlsVersions[named];
            if (oldest === undefined) reportViolation(`Unknown minTlsVersion "${named}"; use TLS_1_2 or TLS_1_3.`);
            else if (oldest < 1.2) reportViolation(`The SSL policy admits TLS ${oldest.toFixed(1)} (minTlsVersion ${named}).`);

            const profile = (props.profile ?? gcpDefaultProfile).toUpperCase();
            if (!knownProfiles.has(profile)) reportViolation(`Unknown SSL policy profile "${profile}"; use MODERN or RESTRICTED.`);
            else if (profile === "CUSTOM") {
                const weak = (props.customFeatures ?? []).filter(isWeakSuite);
                if (weak.length > 0) reportViolation(`The CUSTOM profile enables weak cipher suites: ${weak.join(", ")}.`);
            } else if (!profilesWithoutWeakSuites.has(profile)) {
                reportViolation(`The SSL policy's ${profile} profile admits weak cipher suites; use MODERN or RESTRICTED.`);
            }
        }),
        validateTyped<TargetHttpsProxyArgs | RegionTargetHttpsProxyArgs | TargetSSLProxyArgs>(tlsProxyTypes, (props, _args, reportViolation) => {
            // Only whether a policy is named matters here: a reference still unknown in a preview (a new SSL policy's id) is named.
            const named = Object.prototype.hasOwnProperty.call(props, "sslPolicy") && (isUnknown(props, "sslPolicy") || Boolean(props.sslPolicy));
            if (!named) reportViolation("The proxy has no `sslPolicy`, so GCP's default policy admits TLS 1.0.");
        }),
    ],
};

const backendServiceTypes = ["gcp:compute/backendService:BackendService", "gcp:compute/regionBackendService:RegionBackendService"];

export const gcpBackendServiceLogging: ResourceValidationPolicy = {
    name: "gcp-backend-service-logging",
    description: "GCP backend services must log requests: set `logConfig.enable: true` (off by default).",
    severity: "medium",
    framework: framework("cis-gcp:2.16"),
    remediationSteps: "Add `logConfig: { enable: true, sampleRate: 1 }` to the backend service (lower the sample rate for very busy services).",
    url: "https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring",
    tags: ["gcp", "network", "logging", ...cites("cis-gcp:2.16"), ...backendServiceTypes.map((t) => `type:${t}`)],
    validateResource: validateTyped<BackendServiceArgs | RegionBackendServiceArgs>(backendServiceTypes, (props, _args, reportViolation) => {
        if (props.logConfig?.enable !== true) reportViolation("The backend service does not log requests (`logConfig.enable` is not true).");
        else if (props.logConfig.sampleRate === 0) reportViolation("The backend service logs no request (`logConfig.sampleRate` is 0).");
    }),
};
