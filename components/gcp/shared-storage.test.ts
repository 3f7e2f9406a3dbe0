import { useMockRuntime } from "../../test/helpers/pulumi";
import { SharedStorage, type SharedStorageArgs } from "./shared-storage";

const run = useMockRuntime();

const args = (changes: Partial<SharedStorageArgs> = {}): SharedStorageArgs => ({
    environment: "dev",
    region: "europe-west1",
    network: { networkId: "net", privateCidrs: ["10.20.0.0/20"], zones: ["europe-west1-b", "europe-west1-c"] },
    ...changes,
});

test("dev: a zonal BASIC_HDD share exported only to the private ranges, no backups", async () => {
    new SharedStorage("f1", args());
    const fs = await run.one("gcp:filestore/instance:Instance", "f1");
    expect(fs.plain.tier).toBe("BASIC_HDD");
    expect(fs.plain.location).toBe("europe-west1-b");
    expect(fs.plain.fileShares).toMatchObject({
        capacityGb: 1024,
        nfsExportOptions: [{ ipRanges: ["10.20.0.0/20"], accessMode: "READ_WRITE", squashMode: "ROOT_SQUASH" }],
    });
    expect(fs.options.protect).toBe(false);
    expect(await run.ofType("gcp:backupdisasterrecovery/backupPlan:BackupPlan", "f1")).toHaveLength(0);
});

test("prod: a REGIONAL share, protected, backed up daily to a vault that enforces retention", async () => {
    new SharedStorage("f2", args({ environment: "prod", sizeGib: 2560 }));
    const fs = await run.one("gcp:filestore/instance:Instance", "f2");
    expect(fs.plain).toMatchObject({ tier: "REGIONAL", location: "europe-west1", deletionProtectionEnabled: true });
    expect(fs.options.protect).toBe(true);
    const vault = await run.one("gcp:backupdisasterrecovery/backupVault:BackupVault", "f2");
    expect(vault.plain.backupMinimumEnforcedRetentionDuration).toBe("2592000s");
    expect(vault.plain.forceDelete).toBeUndefined();
    const plan = await run.one("gcp:backupdisasterrecovery/backupPlan:BackupPlan", "f2");
    expect(plan.plain.resourceType).toBe("file.googleapis.com/Instance");
    expect(plan.plain.backupRules[0]).toMatchObject({ backupRetentionDays: 30, standardSchedule: { recurrenceType: "DAILY" } });
    const association = await run.one("gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation", "f2");
    expect(association.plain.resource).toContain("f2-filestore");
});

test.each([
    [{ tier: "PREMIUM" as any }, 'SharedStorage: `tier` must be one of BASIC_HDD, BASIC_SSD, ZONAL, REGIONAL, ENTERPRISE, got "PREMIUM".'],
    [{ tier: "BASIC_SSD" as const, sizeGib: 1024 }, "SharedStorage: `sizeGib` must be a whole number of at least 2560 for tier BASIC_SSD, got 1024."],
    [{ clientCidrs: ["0.0.0.0/0"] }, "SharedStorage: `clientCidrs` must list private ranges and never the internet, got [0.0.0.0/0]."],
    [{ backupRetentionDays: 0 }, "SharedStorage: `backupRetentionDays` must be a whole number >= 1, got 0."],
])("rejects %j", (changes, message) => {
    expect(() => new SharedStorage("bad", args(changes))).toThrow(message);
});
