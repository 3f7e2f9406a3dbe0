import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const tls = "gcp-ssl-policy-tls12";

/** The messages gcp-ssl-policy-tls12 reports for one resource. */
async function tlsMessages(type: string, inputs: Record<string, unknown>): Promise<string[]> {
    const violations = await pack.judge([{ type, inputs }]);
    return violations.filter((v) => v.policy === tls).map((v) => v.message.slice(v.message.indexOf("\n") + 1));
}
const sslPolicy = (inputs: Record<string, unknown>) => tlsMessages("gcp:compute/sSLPolicy:SSLPolicy", inputs);
const weakProfile = (profile: string) => `The SSL policy's ${profile} profile admits weak cipher suites; use MODERN or RESTRICTED.`;

test("gcp-ssl-policy-tls12: judged by the oldest version admitted; left out it is TLS 1.0", async () => {
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "MODERN" })).toEqual([]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_3", profile: "RESTRICTED" })).toEqual([]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_1", profile: "RESTRICTED" })).toEqual(["The SSL policy admits TLS 1.1 (minTlsVersion TLS_1_1)."]);
    expect(await sslPolicy({ profile: "MODERN" })).toEqual(["The SSL policy admits TLS 1.0 (minTlsVersion TLS_1_0)."]);
    expect(await tlsMessages("gcp:compute/regionSslPolicy:RegionSslPolicy", { region: "europe-west1", profile: "RESTRICTED" })).toEqual([
        "The SSL policy admits TLS 1.0 (minTlsVersion TLS_1_0).",
    ]);
});

test("gcp-ssl-policy-tls12: at TLS 1.2, COMPATIBLE (also when the profile is left out) admits weak suites and is blocked, as CIS GCP 3.9 asks", async () => {
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "COMPATIBLE" })).toEqual([weakProfile("COMPATIBLE")]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2" })).toEqual([weakProfile("COMPATIBLE")]);
    expect(
        await tlsMessages("gcp:compute/regionSslPolicy:RegionSslPolicy", { region: "europe-west1", minTlsVersion: "TLS_1_2", profile: "compatible" }),
    ).toEqual([weakProfile("COMPATIBLE")]);
    // Both faults of the GCP default, each with its own message.
    expect(await sslPolicy({})).toEqual(["The SSL policy admits TLS 1.0 (minTlsVersion TLS_1_0).", weakProfile("COMPATIBLE")]);
});

test("gcp-ssl-policy-tls12: MODERN, RESTRICTED and a CUSTOM profile of ECDHE suites pass; a CUSTOM profile with a TLS_RSA_* suite is blocked", async () => {
    const ecdhe = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"];
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "MODERN" })).toEqual([]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "RESTRICTED" })).toEqual([]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "CUSTOM", customFeatures: ecdhe })).toEqual([]);
    expect(
        await sslPolicy({
            minTlsVersion: "TLS_1_2",
            profile: "CUSTOM",
            customFeatures: [...ecdhe, "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"],
        }),
    ).toEqual(["The CUSTOM profile enables weak cipher suites: TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_3DES_EDE_CBC_SHA."]);
    expect(await sslPolicy({ minTlsVersion: "TLS_1_2", profile: "LEGACY" })).toEqual(['Unknown SSL policy profile "LEGACY"; use MODERN or RESTRICTED.']);
});

test("gcp-ssl-policy-tls12: an HTTPS proxy without an SSL policy gets GCP's TLS 1.0 default", async () => {
    const proxy = (inputs: Record<string, unknown>) => [{ type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy", inputs: { urlMap: "m", ...inputs } }];
    expect(await pack.policiesHit(proxy({}))).toContain(tls);
    expect(await pack.policiesHit(proxy({ sslPolicy: "projects/p/global/sslPolicies/modern" }))).not.toContain(tls);
});

test("gcp-ssl-policy-tls12: a proxy naming an SSL policy created in the same preview (its id still unknown) has one, and is judged", async () => {
    const v = await pack.judge([{ type: "gcp:compute/targetHttpsProxy:TargetHttpsProxy", inputs: { urlMap: "m", sslPolicy: unknown } }]);
    expect(v.filter((x) => x.policy === tls)).toEqual([]);
});

test("gcp-backend-service-logging: off by default", async () => {
    const service = (inputs: Record<string, unknown>) => [{ type: "gcp:compute/backendService:BackendService", inputs }];
    expect(await pack.policiesHit(service({}))).toContain("gcp-backend-service-logging");
    expect(await pack.policiesHit(service({ logConfig: { enable: true, sampleRate: 0 } }))).toContain("gcp-backend-service-logging");
    expect(await pack.policiesHit(service({ logConfig: { enable: true, sampleRate: 1 } }))).not.toContain("gcp-backend-service-logging");
});
