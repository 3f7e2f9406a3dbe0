import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const compliant = {
    networkInterfaces: [{ network: "vpc", subnetwork: "subnet" }],
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
    metadata: { "enable-oslogin": "TRUE" },
    serviceAccount: { email: "workers@p.iam.gserviceaccount.com", scopes: ["cloud-platform"] },
};
const template = (overrides: Record<string, unknown> = {}) => [
    { type: "gcp:compute/instanceTemplate:InstanceTemplate", inputs: JSON.parse(JSON.stringify({ ...compliant, ...overrides })) },
];
const names = ["gcp-vm-no-external-ip", "gcp-vm-shielded", "gcp-vm-os-login", "gcp-vm-no-default-service-account-full-scopes"];

test("a compliant instance template passes every VM policy", async () => {
    const hits = await pack.policiesHit(template());
    for (const name of names) expect(hits).not.toContain(name);
});

test("gcp-vm-no-external-ip: an access config (IPv4 or IPv6) is an external IP, on templates and instances", async () => {
    expect(await pack.policiesHit(template({ networkInterfaces: [{ network: "vpc", accessConfigs: [{}] }] }))).toContain("gcp-vm-no-external-ip");
    expect(await pack.policiesHit(template({ networkInterfaces: [{ network: "vpc", ipv6AccessConfigs: [{ networkTier: "PREMIUM" }] }] }))).toContain(
        "gcp-vm-no-external-ip",
    );
    expect(
        await pack.policiesHit([{ type: "gcp:compute/instance:Instance", inputs: { ...compliant, networkInterfaces: [{ accessConfigs: [{}] }] } }]),
    ).toContain("gcp-vm-no-external-ip");
});

test("gcp-vm-shielded: secure boot is off when left out", async () => {
    expect(await pack.policiesHit(template({ shieldedInstanceConfig: undefined }))).toContain("gcp-vm-shielded");
    expect(await pack.policiesHit(template({ shieldedInstanceConfig: { enableSecureBoot: true } }))).not.toContain("gcp-vm-shielded");
    expect(await pack.policiesHit(template({ shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: false } }))).toContain("gcp-vm-shielded");
});

test("gcp-vm-os-login: required in the metadata, any spelling of true", async () => {
    expect(await pack.policiesHit(template({ metadata: {} }))).toContain("gcp-vm-os-login");
    expect(await pack.policiesHit(template({ metadata: { "enable-oslogin": "false" } }))).toContain("gcp-vm-os-login");
    expect(await pack.policiesHit(template({ metadata: { "enable-oslogin": "true" } }))).not.toContain("gcp-vm-os-login");
});

test("gcp-vm-no-default-service-account-full-scopes: no email means the default account", async () => {
    const p = "gcp-vm-no-default-service-account-full-scopes";
    expect(await pack.policiesHit(template({ serviceAccount: { scopes: ["https://www.googleapis.com/auth/cloud-platform"] } }))).toContain(p);
    expect(await pack.policiesHit(template({ serviceAccount: { email: "123-compute@developer.gserviceaccount.com", scopes: ["cloud-platform"] } }))).toContain(
        p,
    );
    expect(await pack.policiesHit(template({ serviceAccount: { scopes: ["logging-write"] } }))).not.toContain(p);
    // A new account's email is unknown in a preview: not judged as the default.
    const v = await pack.judge(template({ serviceAccount: { email: unknown, scopes: ["cloud-platform"] } }));
    expect(v.filter((x) => x.policy === p && x.enforcementLevel === "mandatory")).toEqual([]);
});
