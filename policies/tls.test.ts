import { alicloudTlsPolicies, atLeast, awsElbDefaultTlsPolicy, awsElbTlsPolicies, lookupTlsPolicy, oldestOf, parseTlsVersion } from "./tls";

test("orders protocol versions: a version is at least itself and every older one", () => {
    expect(atLeast("TLSv1.3", "TLSv1.2")).toBe(true);
    expect(atLeast("TLSv1.2", "TLSv1.2")).toBe(true);
    expect(atLeast("TLSv1.1", "TLSv1.2")).toBe(false);
    expect(atLeast("SSLv3", "TLSv1.0")).toBe(false);
});

test("reads every spelling the clouds use for a version, and nothing else", () => {
    expect(parseTlsVersion("TLSv1.2")).toBe("TLSv1.2");
    expect(parseTlsVersion("TLS1.1")).toBe("TLSv1.1");
    expect(parseTlsVersion("tls_1_3")).toBe(undefined);
    expect(parseTlsVersion("TLS_1_3")).toBe(undefined);
    expect(parseTlsVersion("tls1_3")).toBe("TLSv1.3");
    expect(parseTlsVersion(" tlsv1 ")).toBe("TLSv1.0");
    expect(parseTlsVersion("TLS v1.2")).toBe("TLSv1.2");
    expect(parseTlsVersion("SSLv3")).toBe("SSLv3");
    expect(parseTlsVersion("sslv2")).toBe("SSLv3");
    expect(parseTlsVersion("TLSv1.4")).toBe(undefined);
    expect(parseTlsVersion("TLSv2.0")).toBe(undefined);
    expect(parseTlsVersion("xTLSv1.2")).toBe(undefined);
    expect(parseTlsVersion("TLSv1.2x")).toBe(undefined);
    expect(parseTlsVersion(12)).toBe(undefined);
});

test("a custom policy is as old as the oldest version it admits; an unreadable version makes it unknown", () => {
    expect(oldestOf(["TLSv1.3", "TLSv1.1", "TLSv1.2"])).toBe("TLSv1.1");
    expect(oldestOf(["TLSv1.2"])).toBe("TLSv1.2");
    expect(oldestOf(["TLSv1.2", "bogus"])).toBe(undefined);
    expect(oldestOf([])).toBe(undefined);
});

test("named policies are looked up by exact name, never by prefix or inherited property", () => {
    expect(lookupTlsPolicy(alicloudTlsPolicies, "tls_cipher_policy_1_2")).toEqual({ oldest: "TLSv1.2", tls13: false });
    expect(lookupTlsPolicy(alicloudTlsPolicies, "tls_cipher_policy_1_2_strict_with_1_3")).toEqual({ oldest: "TLSv1.2", tls13: true });
    expect(lookupTlsPolicy(alicloudTlsPolicies, "tls_cipher_policy_1_2_new")).toBeUndefined();
    expect(lookupTlsPolicy(alicloudTlsPolicies, "toString")).toBeUndefined();
    expect(lookupTlsPolicy(awsElbTlsPolicies, awsElbDefaultTlsPolicy)?.oldest).toBe("TLSv1.0");
});
