/**
 * Named TLS policies of the clouds, with the oldest protocol each admits. A listener
 * is judged by the weakest handshake its policy accepts, looked up here by exact name,
 * never guessed from a name prefix: an unlisted name is reported as unknown, so a new
 * provider policy is added here (with its documented protocols) before it is used.
 */

export type TlsVersion = "SSLv3" | "TLSv1.0" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

const order: readonly TlsVersion[] = ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

export interface NamedTlsPolicy {
    /** The oldest protocol a client may negotiate. */
    oldest: TlsVersion;
    /** Whether TLS 1.3 is offered. */
    tls13: boolean;
}

/** True when `version` is at least `floor` (TLSv1.3 is at least TLSv1.2). */
export function atLeast(version: TlsVersion, floor: TlsVersion): boolean {
    return order.indexOf(version) >= order.indexOf(floor);
}

/** Normalises the spellings clouds use for a protocol version ("TLSv1.2", "TLS1.2", "tls_1_2"). */
export function parseTlsVersion(text: unknown): TlsVersion | undefined {
    if (typeof text !== "string") return undefined;
    const m = /^(ssl|tls)\s*v?\s*(\d)[._]?(\d)?$/i.exec(text.trim());
    if (!m) return undefined;
    if (m[1].toLowerCase() === "ssl") return "SSLv3";
    const v = `TLSv${m[2]}.${m[3] ?? "0"}` as TlsVersion;
    return order.includes(v) ? v : undefined;
}

/** The oldest of a list of protocol versions (a custom policy admits all of them). */
export function oldestOf(versions: readonly unknown[]): TlsVersion | undefined {
    const parsed = versions.map(parseTlsVersion);
    if (parsed.some((v) => v === undefined)) return undefined;
    return (parsed as TlsVersion[]).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
}

const tls12Only = (tls13: boolean): NamedTlsPolicy => ({ oldest: "TLSv1.2", tls13 });

/**
 * Elastic Load Balancing (ALB and NLB) security policies.
 * Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 * The provider's default when `sslPolicy` is left out is ELBSecurityPolicy-2016-08.
 */
export const awsElbTlsPolicies: Readonly<Record<string, NamedTlsPolicy>> = {
    "ELBSecurityPolicy-TLS13-1-3-2021-06": { oldest: "TLSv1.3", tls13: true },
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": { oldest: "TLSv1.3", tls13: true },
    "ELBSecurityPolicy-TLS13-1-2-2021-06": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": tls12Only(true),
    // Hybrid post-quantum key exchange (2025-09): TLS 1.2 and 1.3, or 1.3 only.
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": { oldest: "TLSv1.3", tls13: true },
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09": { oldest: "TLSv1.3", tls13: true },
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09": tls12Only(true),
    "ELBSecurityPolicy-TLS13-1-1-2021-06": { oldest: "TLSv1.1", tls13: true },
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": { oldest: "TLSv1.1", tls13: true },
    "ELBSecurityPolicy-TLS13-1-0-2021-06": { oldest: "TLSv1.0", tls13: true },
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": { oldest: "TLSv1.0", tls13: true },
    "ELBSecurityPolicy-FS-1-2-Res-2020-10": tls12Only(false),
    "ELBSecurityPolicy-FS-1-2-Res-2019-08": tls12Only(false),
    "ELBSecurityPolicy-FS-1-2-2019-08": tls12Only(false),
    "ELBSecurityPolicy-FS-1-1-2019-08": { oldest: "TLSv1.1", tls13: false },
    "ELBSecurityPolicy-FS-2018-06": { oldest: "TLSv1.0", tls13: false },
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": tls12Only(false),
    "ELBSecurityPolicy-TLS-1-2-2017-01": tls12Only(false),
    "ELBSecurityPolicy-TLS-1-1-2017-01": { oldest: "TLSv1.1", tls13: false },
    "ELBSecurityPolicy-2016-08": { oldest: "TLSv1.0", tls13: false },
    "ELBSecurityPolicy-TLS-1-0-2015-04": { oldest: "TLSv1.0", tls13: false },
    "ELBSecurityPolicy-2015-05": { oldest: "TLSv1.0", tls13: false },
};

/** What an ELB listener gets when `sslPolicy` is left out (the provider's documented default). */
export const awsElbDefaultTlsPolicy = "ELBSecurityPolicy-2016-08";

/**
 * Alibaba Cloud system TLS policies, shared by ALB (`securityPolicyId`) and CLB/SLB
 * (`tlsCipherPolicy`). Source: https://www.alibabacloud.com/help/en/slb/application-load-balancer/user-guide/tls-security-policies
 * Both default to tls_cipher_policy_1_0 when left out.
 */
export const alicloudTlsPolicies: Readonly<Record<string, NamedTlsPolicy>> = {
    tls_cipher_policy_1_0: { oldest: "TLSv1.0", tls13: false },
    tls_cipher_policy_1_1: { oldest: "TLSv1.1", tls13: false },
    tls_cipher_policy_1_2: tls12Only(false),
    tls_cipher_policy_1_2_strict: tls12Only(false),
    tls_cipher_policy_1_2_strict_with_1_3: tls12Only(true),
    tls_cipher_policy_1_0_to_1_3: { oldest: "TLSv1.0", tls13: true },
};

export const alicloudDefaultTlsPolicy = "tls_cipher_policy_1_0";

/** A named policy of a table, or undefined when the name is not one the table knows. */
export function lookupTlsPolicy(table: Readonly<Record<string, NamedTlsPolicy>>, name: string): NamedTlsPolicy | undefined {
    return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
