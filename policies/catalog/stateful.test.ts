import { catalog } from "./catalog";
import { isStateful, notStateful, statefulFamilies, statefulFamilyOf, statefulTypes } from "./stateful";

test("every family's rule matches types of the generated catalog, and the stateful list holds those types only", () => {
    const empty = statefulFamilies.filter((f) => ![...statefulTypes()].some((t) => statefulFamilyOf(t) === f)).map((f) => `${f.provider} ${f.name}`);
    expect(empty).toEqual([]);
    expect([...statefulTypes()].filter((t) => statefulFamilyOf(t) === undefined)).toEqual([]);
    expect(statefulTypes().has("aws:sqs/queuePolicy:QueuePolicy")).toBe(false);
});

test("every exception is a real type that a family's rule would otherwise match", () => {
    for (const type of Object.keys(notStateful)) {
        const [provider, path, name] = type.split(":");
        expect([type, catalog.types[provider].includes(`${path}:${name}`)]).toEqual([type, true]);
        const matched = statefulFamilies.some((f) => f.provider === provider && f.modules.test(path.split("/")[0]) && f.names.test(name));
        expect([type, matched]).toEqual([type, true]);
        expect(isStateful(type)).toBe(false);
    }
});

test("holds the data families of every provider: databases, volumes, file systems, buckets, queues, keys, clusters, backup vaults", () => {
    const stateful = [
        "aws:rds/cluster:Cluster",
        "aws:rds/instance:Instance",
        "aws:dynamodb/table:Table",
        "aws:ebs/volume:Volume",
        "aws:efs/fileSystem:FileSystem",
        "aws:fsx/lustreFileSystem:LustreFileSystem",
        "aws:s3/bucketV2:BucketV2",
        "aws:sqs/queue:Queue",
        "aws:kms/key:Key",
        "aws:eks/cluster:Cluster",
        "aws:backup/vault:Vault",
        "gcp:compute/regionDisk:RegionDisk",
        "gcp:filestore/instance:Instance",
        "gcp:storage/bucket:Bucket",
        "gcp:pubsub/subscription:Subscription",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:container/cluster:Cluster",
        "gcp:backupdisasterrecovery/backupVault:BackupVault",
        "alicloud:oss/bucket:Bucket",
        "alicloud:nas/fileSystem:FileSystem",
        "alicloud:ecs/ecsDisk:EcsDisk",
        "alicloud:rds/instance:Instance",
        "alicloud:hbr/vault:Vault",
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        "kubernetes:core/v1:PersistentVolume",
    ];
    expect(stateful.filter((t) => !isStateful(t))).toEqual([]);
    expect(statefulTypes().size).toBeGreaterThan(150);
    expect(stateful.filter((t) => !statefulTypes().has(t))).toEqual([]);
    expect(statefulTypes().has("aws:rds/clusterInstance:ClusterInstance")).toBe(false);
});

test("a value the program sets is not stateful: parameters, secrets, objects; nor are types of other packages or lookalikes", () => {
    const recreatable = [
        "aws:ssm/parameter:Parameter",
        "aws:secretsmanager/secret:Secret",
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "aws:rds/reservedInstance:ReservedInstance",
        "gcp:secretmanager/secret:Secret",
        "alicloud:kms/secret:Secret",
        "alicloud:oos/secretParameter:SecretParameter",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:PersistentVolumeClaimPatch",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:rds/notAType:Cluster",
        "random:index/randomPet:RandomPet",
        "aws",
    ];
    expect(recreatable.filter((t) => isStateful(t) || statefulFamilyOf(t) !== undefined)).toEqual([]);
});

test("gives each family a one-line reason", () => {
    for (const f of statefulFamilies) expect([f.name, f.reason]).toEqual([f.name, expect.stringMatching(/^holds [^\n]+$/)]);
});

test("a family belongs to its provider: Alibaba Cloud's rds module is not AWS's", () => {
    expect(statefulFamilyOf("alicloud:rds/instance:Instance")).toMatchObject({ provider: "alicloud", name: "databases" });
    expect(statefulFamilyOf("aws:rds/instance:Instance")).toMatchObject({ provider: "aws", name: "databases" });
    expect(statefulFamilyOf("gcp:compute/disk:Disk")).toMatchObject({ provider: "gcp", name: "disks and snapshots" });
});
