import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const tls = "gcp-ssl-policy-tls12";

test("gcp-ssl-policy-tls12: judged by the oldest version admitted; left out it is TLS 1.0", async () => {
    const policy = (inputs: Record<string, unknown>) => [{ type: "gcp:compute/sSLPolicy:SSLPolicy", inputs }];
    expect(await pack.policiesHit(policy({ minTlsVersion: "TLS_1_2", profile: "MODERN" }))).not.toContain(tls);
    expect(await pack.policiesHit(policy({ minTlsVersion: "TLS_1_3" }))).not.toContain(tls);
    expect(await pack.policiesHit(policy({ minTlsVersion: "TLS_1_1", profile: "RESTRICTED" }))).toContain(tls);
    expect(await pack.policiesHit(policy({ profile: "MODERN" }))).toContain(tls);
    expect(await pack.policiesHit([{ type: "gcp:compute/regionSslPolicy:RegionSslPolicy", inputs: { region: "europe-west1" } }])).toContain(tls);
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
