import { useMockRuntime } from "../../test/helpers/pulumi";
import { SharedStorage, type SharedStorageArgs } from "./shared-storage";

const run = useMockRuntime();

const args = (changes: Partial<SharedStorageArgs> = {}): SharedStorageArgs => ({
    environment: "dev",
    vpcId: "vpc-1",
    subnetIds: ["s-a", "s-b", "s-c"],
    ...changes,
});

test("encrypted with a rotated customer-managed key; a mount target per subnet", async () => {
    new SharedStorage("fsenc", args());
    const key = await run.one("aws:kms/key:Key", "fsenc");
    expect(key.plain.enableKeyRotation).toBe(true);
    const efs = await run.one("aws:efs/fileSystem:FileSystem", "fsenc");
    expect(efs.plain.encrypted).toBe(true);
    expect(efs.plain.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(efs.plain.lifecyclePolicies).toContainEqual({ transitionToIa: "AFTER_30_DAYS" });
    expect((await run.ofType("aws:efs/mountTarget:MountTarget", "fsenc")).map((m) => m.plain.subnetId)).toEqual(["s-a", "s-b", "s-c"]);
    expect(await run.ofType("aws:efs/accessPoint:AccessPoint", "fsenc")).toHaveLength(1);
});

test("NFS is admitted only from the given client groups", async () => {
    new SharedStorage("fsnfs", args({ clientSecurityGroupIds: ["sg-app"] }));
    const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "fsnfs-sg");
    expect(sg.plain.ingress).toEqual([expect.objectContaining({ fromPort: 2049, toPort: 2049, securityGroups: ["sg-app"] })]);
    expect(sg.plain.ingress[0].cidrBlocks).toBeUndefined();
});

test("without client groups, it makes one for consumers to join", async () => {
    const storage = new SharedStorage("fsown", args());
    expect(storage.clientSecurityGroup).toBeDefined();
    const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "fsown-sg");
    expect(sg.plain.ingress[0].securityGroups).toHaveLength(1);
});

test("the file-system policy refuses access without TLS", async () => {
    new SharedStorage("fstls", args());
    const policy = JSON.parse((await run.one("aws:efs/fileSystemPolicy:FileSystemPolicy", "fstls")).plain.policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
});

test("dev: backups off, not protected; prod: backups on, file system and key protected", async () => {
    new SharedStorage("fsdev", args());
    new SharedStorage("fsprod", args({ environment: "prod" }));
    expect((await run.one("aws:efs/backupPolicy:BackupPolicy", "fsdev")).plain.backupPolicy.status).toBe("DISABLED");
    expect((await run.one("aws:efs/fileSystem:FileSystem", "fsdev")).options.protect).toBe(false);
    expect((await run.one("aws:efs/backupPolicy:BackupPolicy", "fsprod")).plain.backupPolicy.status).toBe("ENABLED");
    expect((await run.one("aws:efs/fileSystem:FileSystem", "fsprod")).options.protect).toBe(true);
    expect((await run.one("aws:kms/key:Key", "fsprod")).options.protect).toBe(true);
});

test("rejects no subnets", () => {
    expect(() => new SharedStorage("fsbad1", args({ subnetIds: [] }))).toThrow(
        "SharedStorage: `subnetIds` must list at least one private subnet for a mount target.",
    );
});

test("rejects an access point at the root", () => {
    expect(() => new SharedStorage("fsbad2", args({ accessPoint: { path: "/", uid: 1, gid: 1 } }))).toThrow(
        'SharedStorage: `accessPoint.path` must be a directory below "/" (e.g. "/shared"); got "/".',
    );
});
